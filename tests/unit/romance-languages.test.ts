import { analyze } from '../../lambdas/core/analysis/analyze';
import type { Polarity } from '../../lambdas/core/analysis/types';

/**
 * Hand-written Spanish, Portuguese and French feedback (written for this test, not taken from any data set), each
 * with the polarity and complaint a person reads in it. Language is hinted, as a source with a language field does.
 */
type Case = [text: string, polarity: Polarity, complaint: boolean];

const SPANISH: Case[] = [
  ['Servicio pésimo, nunca más', 'negative', true],
  ['El pedido no llegó y nadie responde', 'negative', true],
  ['Llevo esperando el reembolso tres semanas', 'negative', true],
  ['Me cobraron dos veces y no me devuelven el dinero', 'negative', true],
  ['La aplicación no funciona desde la actualización', 'negative', true],
  ['El vuelo salió con cinco horas de retraso y perdieron mi maleta', 'negative', true],
  ['Atención al cliente horrible, me colgaron el teléfono', 'negative', true],
  ['La comida llegó fría y el pedido equivocado', 'negative', true],
  ['Es una estafa, no compren aquí', 'negative', true],
  ['El producto llegó roto y todavía no me responden', 'negative', true],
  ['La habitación estaba sucia y el baño roto', 'negative', true],
  ['Qué vergüenza de servicio, el peor banco del país', 'negative', true],
  ['Sigo esperando mi tarjeta, ya van dos meses', 'negative', true],
  ['El repartidor fue muy grosero', 'negative', true],
  ['Me prometieron instalación en dos días y nada', 'negative', true],
  ['La peor experiencia con una aerolínea', 'negative', true],
  ['Pagué por envío rápido y llegó tarde', 'negative', true],
  ['Nadie me ayuda con mi cuenta bloqueada', 'negative', true],
  ['Muy decepcionado con la calidad del producto', 'negative', true],
  ['Internet lento todo el día, me doy de baja', 'negative', true],
  ['Fatal, el técnico no vino', 'negative', true],
  ['El servicio es malísimo y caro', 'negative', true],
  ['Producto defectuoso, quiero mi reembolso', 'negative', true],
  ['Otra vez cancelado mi pedido sin avisar', 'negative', true],
  ['Una decepción total, no lo compren', 'negative', true],
  ['Estoy harto de llamar y que nadie conteste', 'negative', true],
  ['Basura de aplicación', 'negative', true],
  ['El médico ni me miró, atención pésima', 'negative', true],
  ['Excelente servicio, muchas gracias', 'positive', false],
  ['El pedido llegó rápido y en perfecto estado', 'positive', false],
  ['Muy amables en la tienda, lo recomiendo', 'positive', false],
  ['Me encanta la aplicación, es genial', 'positive', false],
  ['El hotel estaba limpio y el personal muy atento', 'positive', false],
  ['Gracias por solucionar mi problema tan rápido', 'positive', false],
  ['La comida estaba buenísima, volveremos', 'positive', false],
  ['Vuelo puntual y tripulación amable', 'positive', false],
  ['Estoy muy contento con mi compra', 'positive', false],
  ['Todo perfecto, un servicio estupendo', 'positive', false],
  ['Increíble atención del equipo de soporte', 'positive', false],
  ['El curso es excelente y el profesor muy bueno', 'positive', false],
  ['No está mal, bastante bueno por el precio', 'positive', false],
  ['Nunca había tenido un servicio tan bueno', 'positive', false],
  ['Maravilloso, superó mis expectativas', 'positive', false],
  ['La entrega fue rápida, gracias', 'positive', false],
  ['Encantada con el trato recibido', 'positive', false],
  ['¿A qué hora abre la tienda el domingo?', 'neutral', false],
  ['¿Tienen este modelo en color azul?', 'neutral', false],
  ['Mañana viajo a Madrid con mi familia', 'neutral', false],
  ['El paquete pesa dos kilos', 'neutral', false],
  ['¿Cuánto cuesta el envío a Valencia?', 'neutral', false],
  ['La reunión es a las diez', 'neutral', false],
  ['Hoy llueve en Barcelona', 'neutral', false],
  ['Compré un teléfono nuevo esta semana', 'neutral', false],
  ['¿Hay descuento para estudiantes?', 'neutral', false],
  ['El vuelo sale de la terminal dos', 'neutral', false],
  ['Estoy en la cola del supermercado', 'neutral', false],
  ['Voy a pedir una pizza esta noche', 'neutral', false],
  ['La tienda está en la calle Mayor', 'neutral', false],
  ['¿Dónde puedo recoger mi pedido?', 'neutral', false],
  ['Mi hermano trabaja en un banco', 'neutral', false],
  ['El examen es el lunes', 'neutral', false],
];

const PORTUGUESE: Case[] = [
  ['Atendimento péssimo, nunca mais compro aqui', 'negative', true],
  ['O pedido não chegou e ninguém responde', 'negative', true],
  ['Estou esperando o reembolso há três semanas', 'negative', true],
  ['Me cobraram duas vezes e não resolvem', 'negative', true],
  ['O aplicativo não funciona desde a atualização', 'negative', true],
  ['Voo com cinco horas de atraso e perderam minha mala', 'negative', true],
  ['Atendimento horrível, desligaram na minha cara', 'negative', true],
  ['A comida chegou fria e o pedido errado', 'negative', true],
  ['É golpe, não comprem nesta loja', 'negative', true],
  ['O produto veio quebrado e ainda não me responderam', 'negative', true],
  ['O quarto estava sujo e o chuveiro quebrado', 'negative', true],
  ['Que vergonha, o pior banco que já usei', 'negative', true],
  ['Ainda esperando meu cartão, já são dois meses', 'negative', true],
  ['O entregador foi muito grosso', 'negative', true],
  ['Prometeram instalação em dois dias e nada', 'negative', true],
  ['A pior experiência com uma companhia aérea', 'negative', true],
  ['Paguei pela entrega expressa e chegou atrasado', 'negative', true],
  ['Ninguém me ajuda com a conta bloqueada', 'negative', true],
  ['Muito decepcionado com a qualidade do produto', 'negative', true],
  ['Internet lenta o dia todo, vou cancelar', 'negative', true],
  ['Horrível, o técnico não veio', 'negative', true],
  ['O serviço é ruim e caro', 'negative', true],
  ['Produto com defeito, quero meu dinheiro de volta', 'negative', true],
  ['De novo cancelaram meu pedido sem avisar', 'negative', true],
  ['Uma decepção, não comprem', 'negative', true],
  ['Estou cansado de ligar e ninguém atende', 'negative', true],
  ['Aplicativo lixo', 'negative', true],
  ['O médico nem olhou para mim, atendimento péssimo', 'negative', true],
  ['Excelente atendimento, muito obrigado', 'positive', false],
  ['O pedido chegou rápido e em perfeito estado', 'positive', false],
  ['Muito gentis na loja, recomendo', 'positive', false],
  ['Adorei o aplicativo, é ótimo', 'positive', false],
  ['O hotel estava limpo e a equipe muito atenciosa', 'positive', false],
  ['Obrigada por resolver meu problema tão rápido', 'positive', false],
  ['A comida estava ótima, vamos voltar', 'positive', false],
  ['Voo pontual e tripulação gentil', 'positive', false],
  ['Estou muito satisfeito com a compra', 'positive', false],
  ['Tudo perfeito, um serviço maravilhoso', 'positive', false],
  ['Ótimo suporte, resolveram na hora', 'positive', false],
  ['O curso é excelente e o professor muito bom', 'positive', false],
  ['Nada mal, bem bom pelo preço', 'positive', false],
  ['Nunca tive um atendimento tão bom', 'positive', false],
  ['Amei, superou minhas expectativas', 'positive', false],
  ['A entrega foi rápida, obrigado', 'positive', false],
  ['Adorei o atendimento da equipe', 'positive', false],
  ['Que horas a loja abre no domingo?', 'neutral', false],
  ['Vocês têm este modelo na cor azul?', 'neutral', false],
  ['Amanhã viajo para Lisboa com a família', 'neutral', false],
  ['O pacote pesa dois quilos', 'neutral', false],
  ['Quanto custa o frete para Recife?', 'neutral', false],
  ['A reunião é às dez horas', 'neutral', false],
  ['Hoje está chovendo em São Paulo', 'neutral', false],
  ['Comprei um celular novo esta semana', 'neutral', false],
  ['Tem desconto para estudantes?', 'neutral', false],
  ['O voo sai do terminal dois', 'neutral', false],
  ['Estou na fila do supermercado', 'neutral', false],
  ['Vou pedir uma pizza hoje à noite', 'neutral', false],
  ['A loja fica na rua Augusta', 'neutral', false],
  ['Onde posso retirar meu pedido?', 'neutral', false],
  ['Meu irmão trabalha num banco', 'neutral', false],
  ['A prova é na segunda-feira', 'neutral', false],
];

const FRENCH: Case[] = [
  ['Service nul, plus jamais', 'negative', true],
  ["La commande n'est jamais arrivée et personne ne répond", 'negative', true],
  ["J'attends toujours mon remboursement depuis trois semaines", 'negative', true],
  ['Prélevé deux fois et toujours pas remboursé', 'negative', true],
  ["L'application ne fonctionne pas depuis la mise à jour", 'negative', true],
  ['Vol avec cinq heures de retard et valise perdue', 'negative', true],
  ['Service client horrible, on m’a raccroché au nez', 'negative', true],
  ['Le repas est arrivé froid et la commande était fausse', 'negative', true],
  ["C'est une arnaque, n'achetez pas ici", 'negative', true],
  ['Le produit est arrivé cassé et aucune réponse du service', 'negative', true],
  ['La chambre était sale et la douche cassée', 'negative', true],
  ['Quelle honte, la pire banque que je connaisse', 'negative', true],
  ["J'attends toujours ma carte, ça fait deux mois", 'negative', true],
  ['Le livreur était très impoli', 'negative', true],
  ["On m'avait promis une installation en deux jours, rien", 'negative', true],
  ['La pire expérience avec une compagnie aérienne', 'negative', true],
  ["J'ai payé la livraison express et le colis est en retard", 'negative', true],
  ["Personne ne m'aide avec mon compte bloqué", 'negative', true],
  ['Très déçu par la qualité du produit', 'negative', true],
  ['Internet lent toute la journée, je résilie', 'negative', true],
  ["Catastrophique, le technicien n'est pas venu", 'negative', true],
  ['Le service est mauvais et cher', 'negative', true],
  ['Produit défectueux, je veux être remboursé', 'negative', true],
  ['Encore une commande annulée sans prévenir', 'negative', true],
  ['Très décevant, à éviter', 'negative', true],
  ["J'en ai marre d'appeler, personne ne répond", 'negative', true],
  ['Application lamentable', 'negative', true],
  ["Le médecin ne m'a même pas examiné, accueil déplorable", 'negative', true],
  ['Excellent service, merci beaucoup', 'positive', false],
  ['Commande reçue rapidement et en parfait état', 'positive', false],
  ['Personnel très aimable, je recommande', 'positive', false],
  ["J'adore cette application, elle est géniale", 'positive', false],
  ["L'hôtel était propre et l'équipe très sympa", 'positive', false],
  ["Merci d'avoir résolu mon problème si vite", 'positive', false],
  ['Le repas était délicieux, nous reviendrons', 'positive', false],
  ["Vol à l'heure et équipage aimable", 'positive', false],
  ['Je suis très satisfait de mon achat', 'positive', false],
  ['Tout était parfait, un service excellent', 'positive', false],
  ['Super support, problème résolu en cinq minutes', 'positive', false],
  ['Le cours est excellent et le professeur très bon', 'positive', false],
  ['Pas mal du tout, bon rapport qualité prix', 'positive', false],
  ['Jamais eu un service aussi bon', 'positive', false],
  ['Ravie, au-delà de mes attentes', 'positive', false],
  ['Livraison rapide, merci', 'positive', false],
  ["Très bon accueil de toute l'équipe", 'positive', false],
  ['À quelle heure ouvre le magasin dimanche ?', 'neutral', false],
  ['Avez-vous ce modèle en bleu ?', 'neutral', false],
  ['Demain je pars à Lyon avec ma famille', 'neutral', false],
  ['Le colis pèse deux kilos', 'neutral', false],
  ['Combien coûte la livraison pour Lille ?', 'neutral', false],
  ['La réunion est à dix heures', 'neutral', false],
  ['Il pleut aujourd’hui à Paris', 'neutral', false],
  ["J'ai acheté un téléphone cette semaine", 'neutral', false],
  ['Y a-t-il une réduction pour les étudiants ?', 'neutral', false],
  ['Le vol part du terminal deux', 'neutral', false],
  ['Je fais la queue au supermarché', 'neutral', false],
  ['Je vais commander une pizza ce soir', 'neutral', false],
  ['Le magasin est rue de Rivoli', 'neutral', false],
  ['Où puis-je retirer ma commande ?', 'neutral', false],
  ['Mon frère travaille dans une banque', 'neutral', false],
  ["L'examen est lundi", 'neutral', false],
];

/** Polarity at least this often right, and complaint yes/no at least this often right, per language. */
const POLARITY_ACCURACY = 0.85;
const COMPLAINT_ACCURACY = 0.85;

describe.each([
  ['Spanish', 'es', SPANISH],
  ['Portuguese', 'pt', PORTUGUESE],
  ['French', 'fr', FRENCH],
])('%s feedback (hand-written)', (_name, lang, cases) => {
  it('has at least 60 sentences', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it(`reads polarity and complaints (each >= ${POLARITY_ACCURACY} right)`, () => {
    const misses: string[] = [];
    let polarityRight = 0;
    let complaintRight = 0;
    for (const [text, polarity, complaint] of cases) {
      const analysis = analyze({ text, lang });
      if (analysis.polarity === polarity) polarityRight++;
      else misses.push(`polarity ${analysis.polarity} (want ${polarity}): ${text}`);
      if (analysis.complaint === complaint) complaintRight++;
      else misses.push(`complaint ${analysis.complaint} (want ${complaint}): ${text}`);
    }
    const summary = { polarity: polarityRight / cases.length, complaint: complaintRight / cases.length, misses };
    expect(summary.polarity).toBeGreaterThanOrEqual(POLARITY_ACCURACY);
    expect(summary.complaint).toBeGreaterThanOrEqual(COMPLAINT_ACCURACY);
  });

  it('flags the canonical memorable complaint', () => {
    const text = {
      es: 'Servicio pésimo, nunca más',
      pt: 'Atendimento péssimo, nunca mais compro aqui',
      fr: 'Service nul, plus jamais',
    }[lang as 'es' | 'pt' | 'fr'];
    const analysis = analyze({ text, lang });
    expect(analysis.polarity).toBe('negative');
    expect(analysis.complaint).toBe(true);
  });
});
