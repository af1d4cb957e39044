import { analyze } from '../../lambdas/core/analysis/analyze';
import type { Polarity } from '../../lambdas/core/analysis/types';

/**
 * Hand-written Vietnamese feedback beyond product reviews (written for this test, not taken from any data set):
 * people, processes, places and outcomes in eight domains, some typed without diacritics as many people do. Each
 * sentence carries the polarity a Vietnamese reader gives it; facts and questions are neutral.
 */
type Case = [text: string, polarity: Polarity];

const DOMAINS: Record<string, Case[]> = {
  banking: [
    ['Ngân hàng trừ tiền hai lần mà gọi tổng đài mãi không ai nghe máy', 'negative'],
    ['Chuyển khoản bị treo từ hôm qua, tiền đã trừ mà người nhận chưa nhận được', 'negative'],
    ['Nhân viên quầy giao dịch thái độ lồi lõm, hỏi gì cũng trả lời cộc lốc', 'negative'],
    ['App ngân hàng lỗi liên tục, đăng nhập không được cả buổi sáng', 'negative'],
    ['Phí duy trì tài khoản quá cao, tự ý trừ tiền không thông báo', 'negative'],
    ['cay atm nuot the ma khong ai xu ly', 'negative'],
    ['Làm thủ tục vay rườm rà, chờ cả tháng vẫn chưa được giải ngân', 'negative'],
    ['tong dai vien noi chuyen rat kho chiu, khong giai quyet duoc gi', 'negative'],
    ['Bị khóa thẻ oan mà ra chi nhánh thì bị đẩy qua đẩy lại', 'negative'],
    ['Lãi suất quảng cáo một đằng, lúc ký hợp đồng lại một nẻo', 'negative'],
    ['Nhân viên ngân hàng tư vấn tận tình, thủ tục mở thẻ nhanh gọn', 'positive'],
    ['App chuyển tiền mượt, giao dịch xong trong vài giây, rất tiện', 'positive'],
    ['Được hoàn tiền giao dịch lỗi ngay trong ngày, cảm ơn ngân hàng', 'positive'],
    ['chi nhanh moi sach se, nhan vien niem no, khong phai cho lau', 'positive'],
    ['Cho mình hỏi phí chuyển khoản liên ngân hàng là bao nhiêu?', 'neutral'],
    ['Chi nhánh Cầu Giấy mở cửa từ 8 giờ sáng đến 5 giờ chiều', 'neutral'],
    ['Mình vừa mở tài khoản tiết kiệm kỳ hạn 6 tháng', 'neutral'],
    ['thu bay ngan hang co lam viec khong a', 'neutral'],
    ['Rút tiền ở cây ATM bị nuốt thẻ, gọi hotline thì bắt chờ máy', 'negative'],
    ['ngan hang tu van nhiet tinh, lai suat tot', 'positive'],
    ['Thẻ tín dụng bị tính phí thường niên dù đã được miễn phí năm đầu', 'negative'],
    ['Tôi muốn hỏi về thủ tục vay mua nhà', 'neutral'],
    ['Giao dịch viên làm việc chậm chạp, hàng đợi dài dằng dặc', 'negative'],
  ],
  telecom: [
    ['Mạng 4G chập chờn cả tuần nay, gọi điện thì rớt liên tục', 'negative'],
    ['Tự nhiên bị trừ tiền dịch vụ mà mình không hề đăng ký', 'negative'],
    ['Wifi nhà mình mất kết nối từ sáng, báo kỹ thuật mà ba ngày chưa thấy ai đến', 'negative'],
    ['Gọi tổng đài chờ nửa tiếng mới gặp được nhân viên', 'negative'],
    ['song yeu qua, o trong nha la mat song', 'negative'],
    ['Cước tháng này tăng gấp đôi mà không ai giải thích', 'negative'],
    ['Tin nhắn rác quảng cáo gửi suốt ngày, rất phiền', 'negative'],
    ['Internet chậm như rùa, xem video toàn bị giật', 'negative'],
    ['Đổi sim mà phải đi lại ba lần vì nhân viên làm sai thông tin', 'negative'],
    ['Kỹ thuật viên đến lắp mạng đúng hẹn, làm việc rất chuyên nghiệp', 'positive'],
    ['Mạng cáp quang mới lắp ổn định, tốc độ nhanh, rất hài lòng', 'positive'],
    ['Tổng đài viên hỗ trợ nhiệt tình, xử lý xong sự cố trong 10 phút', 'positive'],
    ['goi cuoc moi re ma data dung thoai mai, qua ok', 'positive'],
    ['Gói cước 120 nghìn một tháng có 4GB mỗi ngày', 'neutral'],
    ['Làm sao để chuyển từ trả trước sang trả sau?', 'neutral'],
    ['Mình dùng nhà mạng này được năm năm rồi', 'neutral'],
    ['cho hoi cua hang gan nhat o dau', 'neutral'],
    ['Mạng Viettel ở quê mình sóng khỏe, vào mạng nhanh', 'positive'],
    ['nha mang tu dong dang ky dich vu roi tru tien', 'negative'],
    ['Đã gọi tổng đài ba lần mà lỗi mạng vẫn chưa được khắc phục', 'negative'],
    ['Tháng sau mình chuyển sang gói cước gia đình', 'neutral'],
  ],
  airline: [
    ['Chuyến bay delay 4 tiếng mà không có một lời xin lỗi', 'negative'],
    ['Hãng hủy chuyến sát giờ, hoàn tiền thì hẹn lên hẹn xuống', 'negative'],
    ['Hành lý ký gửi bị thất lạc, đến giờ vẫn chưa tìm thấy', 'negative'],
    ['Tiếp viên thái độ khó chịu, gọi mãi không ai đến', 'negative'],
    ['Ghế chật, đồ ăn trên máy bay nguội ngắt mà giá vé không hề rẻ', 'negative'],
    ['Vali bị vỡ bánh xe sau chuyến bay mà hãng không chịu bồi thường', 'negative'],
    ['check in online lỗi, ra quầy lại phải xếp hàng dài', 'negative'],
    ['lan dau va cung la lan cuoi bay hang nay', 'negative'],
    ['Đổi giờ bay mà chỉ báo trước hai tiếng, lỡ hết kế hoạch', 'negative'],
    ['Chuyến bay cất cánh đúng giờ, tiếp viên thân thiện và chu đáo', 'positive'],
    ['Ghế rộng rãi, bữa ăn ngon, chuyến bay rất dễ chịu', 'positive'],
    ['Nhân viên mặt đất hỗ trợ mình đổi vé rất nhanh, cảm ơn nhiều', 'positive'],
    ['bay em, phi cong ha canh nhe nhang, rat hai long', 'positive'],
    ['Chuyến bay từ Hà Nội vào Sài Gòn mất khoảng hai tiếng', 'neutral'],
    ['Hành lý xách tay được mang tối đa 7 kg phải không?', 'neutral'],
    ['Mình đặt vé đi Đà Nẵng vào thứ sáu tuần sau', 'neutral'],
    ['Cho hỏi chuyến VN123 cất cánh ở nhà ga nào?', 'neutral'],
    ['Chuyến bay bị hoãn mà không có thông báo, hành khách phải ngồi chờ mòn mỏi', 'negative'],
    ['tiep vien nhiet tinh, do an ngon, se bay lai', 'positive'],
    ['Vé máy bay đi Phú Quốc tháng này giá bao nhiêu?', 'neutral'],
    ['Nhân viên check-in cáu gắt, bắt đóng thêm phí hành lý vô lý', 'negative'],
  ],
  delivery: [
    ['Đặt đồ ăn chờ hơn một tiếng, giao đến thì nguội ngắt', 'negative'],
    ['Giao thiếu món mà quán không chịu hoàn tiền', 'negative'],
    ['Trà sữa bị đổ hết ra túi, tài xế còn cáu gắt với mình', 'negative'],
    ['Phở nhạt nhẽo, thịt thì dai, không đáng tiền', 'negative'],
    ['Trong hộp cơm có tóc, ăn mà muốn ói', 'negative'],
    ['Shipper hủy đơn không báo, đói meo cả buổi trưa', 'negative'],
    ['do an thiu roi ma van giao cho khach', 'negative'],
    ['Tài xế đòi thêm tiền ship ngoài app', 'negative'],
    ['Đồ ăn giao sai món, gọi cho quán thì không ai nghe máy', 'negative'],
    ['Đồ ăn còn nóng hổi, đóng gói cẩn thận, tài xế thân thiện', 'positive'],
    ['Bún chả ngon, nước chấm đậm đà, sẽ đặt lại', 'positive'],
    ['Giao nhanh hơn dự kiến, món ăn tươi ngon', 'positive'],
    ['quan lam mon rat ngon, gia hop ly, se ung ho dai dai', 'positive'],
    ['Quán mở cửa đến mấy giờ vậy?', 'neutral'],
    ['Mình vừa đặt hai phần cơm gà cho bữa trưa', 'neutral'],
    ['Phí giao hàng tính theo số km', 'neutral'],
    ['co giao den quan 7 khong shop', 'neutral'],
    ['Cơm giao tới bị đổ canh ra hết, shipper không thèm xin lỗi', 'negative'],
    ['Đồ ăn ngon, giao nhanh, giá cả hợp lý', 'positive'],
    ['gọi món xong chờ mãi không thấy tài xế nhận đơn', 'negative'],
    ['Mình hay đặt cơm trưa ở quán này', 'neutral'],
  ],
  education: [
    ['Thầy dạy khó hiểu, hỏi lại thì bị mắng', 'negative'],
    ['Học phí tăng liên tục mà cơ sở vật chất thì xuống cấp', 'negative'],
    ['Trung tâm cam kết đầu ra, học xong không đạt cũng không hoàn học phí', 'negative'],
    ['Giáo viên hay đi muộn, giờ học thì nói chuyện lan man', 'negative'],
    ['Lớp học quá đông, nóng nực, không nghe rõ thầy giảng', 'negative'],
    ['Nhà trường lạm thu đủ loại quỹ, phụ huynh rất bức xúc', 'negative'],
    ['tu van tuyen sinh noi mot dang lam mot neo', 'negative'],
    ['Khóa học online toàn video cũ, hỏi bài thì không ai trả lời', 'negative'],
    ['Con mình bị bạn bắt nạt mà cô chủ nhiệm làm ngơ', 'negative'],
    ['Cô giáo dạy dễ hiểu, rất kiên nhẫn với học sinh yếu', 'positive'],
    ['Sau ba tháng học, con mình tiến bộ rõ rệt, cảm ơn thầy cô', 'positive'],
    ['Giáo trình thiết thực, giảng viên nhiệt huyết và có tâm', 'positive'],
    ['thay day hay, nhiet tinh, lop hoc vui ve', 'positive'],
    ['Kỳ thi cuối kỳ bắt đầu vào ngày 15 tháng 6', 'neutral'],
    ['Học phí khóa tiếng Anh này là bao nhiêu?', 'neutral'],
    ['Con mình đang học lớp 5 ở trường gần nhà', 'neutral'],
    ['lop hoc buoi toi bat dau luc 7 gio', 'neutral'],
    ['Giảng viên giảng bài rất cuốn, ví dụ thực tế', 'positive'],
    ['Trung tâm thu tiền rồi đổi lịch học liên tục', 'negative'],
    ['day nhu doc sach, buon ngu', 'negative'],
    ['Năm nay con mình vào lớp 1', 'neutral'],
  ],
  healthcare: [
    ['Chờ khám từ sáng đến trưa, bác sĩ khám qua loa chưa đầy hai phút', 'negative'],
    ['Y tá quát tháo bệnh nhân, thái độ rất tệ', 'negative'],
    ['Bệnh viện đông nghịt, nhà vệ sinh bẩn thỉu, hôi hám', 'negative'],
    ['Bác sĩ chẩn đoán sai, uống thuốc một tuần vẫn không đỡ', 'negative'],
    ['Phải đưa phong bì mới được khám nhanh, quá bức xúc', 'negative'],
    ['Thủ tục bảo hiểm y tế rườm rà, đi lại mấy lần vẫn chưa xong', 'negative'],
    ['kham xong ke mot dong thuoc dat tien ma khong khoi', 'negative'],
    ['Phòng khám tư tính tiền trên trời, xét nghiệm không cần thiết cũng bắt làm', 'negative'],
    ['Bác sĩ khám kỹ, giải thích rõ ràng, rất tận tâm', 'positive'],
    ['Điều dưỡng chăm sóc chu đáo, mẹ mình đã hồi phục và xuất viện', 'positive'],
    ['Phòng khám sạch sẽ, đặt lịch online không phải chờ lâu', 'positive'],
    ['bac si nhe nhang, than thien, be nha minh rat thich', 'positive'],
    ['Ca mổ thành công, cảm ơn ê kíp bác sĩ rất nhiều', 'positive'],
    ['Bệnh viện làm việc từ thứ hai đến thứ bảy', 'neutral'],
    ['Khám bảo hiểm thì cần mang những giấy tờ gì?', 'neutral'],
    ['Mình có lịch tái khám vào tuần sau', 'neutral'],
    ['xet nghiem mau co can nhin an khong bac si', 'neutral'],
    ['Bác sĩ nói chuyện cộc lốc, không giải thích gì cho bệnh nhân', 'negative'],
    ['Nhân viên y tế tận tình, thủ tục nhanh gọn', 'positive'],
    ['benh vien qua tai, cho ca buoi moi den luot', 'negative'],
    ['Phòng khám mở cửa lúc mấy giờ?', 'neutral'],
  ],
  hospitality: [
    ['Phòng khách sạn ẩm mốc, ga giường có vết bẩn', 'negative'],
    ['Điều hòa hỏng cả đêm, báo lễ tân mà không ai lên sửa', 'negative'],
    ['Cách âm kém, ồn ào đến hai giờ sáng không ngủ được', 'negative'],
    ['Ảnh trên mạng một kiểu, đến nơi thì phòng chật chội, cũ kỹ', 'negative'],
    ['Lễ tân làm thủ tục nhận phòng chậm, để khách chờ cả tiếng', 'negative'],
    ['Bữa sáng nghèo nàn, đồ ăn nguội, không đáng tiền', 'negative'],
    ['phong tam co gian, nuoc nong luc co luc khong', 'negative'],
    ['Bị tính thêm phí mà khách sạn không báo trước', 'negative'],
    ['Phòng rộng rãi, sạch sẽ, view biển tuyệt đẹp', 'positive'],
    ['Nhân viên lễ tân niềm nở, hỗ trợ gọi taxi rất nhiệt tình', 'positive'],
    ['Vị trí thuận tiện, yên tĩnh, giường êm, ngủ rất ngon', 'positive'],
    ['homestay am cung, chu nha than thien, lan sau se quay lai', 'positive'],
    ['Bữa sáng phong phú, hồ bơi sạch, đáng đồng tiền', 'positive'],
    ['Khách sạn có chỗ đỗ xe ô tô không?', 'neutral'],
    ['Giờ nhận phòng là 2 giờ chiều', 'neutral'],
    ['Mình đặt phòng đôi cho ba đêm', 'neutral'],
    ['tu khach san ra bien di bo mat 5 phut', 'neutral'],
    ['Khách sạn sạch sẽ, nhân viên thân thiện, bữa sáng ngon', 'positive'],
    ['Phòng có mùi hôi, điều hòa kêu to cả đêm', 'negative'],
    ['phong nho xiu ma gia dat', 'negative'],
    ['Khách sạn cách sân bay khoảng 10 km', 'neutral'],
  ],
  retail: [
    ['Hàng về bị móp hộp, shop hứa đổi mà im luôn', 'negative'],
    ['Siêu thị đông quá, xếp hàng thanh toán mất nửa tiếng', 'negative'],
    ['Nhân viên cửa hàng dễ thương, tư vấn có tâm', 'positive'],
    ['Mua áo online mặc không vừa, đổi size thì shop bắt trả phí ship hai chiều', 'negative'],
    ['Thu ngân tính tiền sai mà còn cãi lại khách', 'negative'],
    ['Hàng giảm giá nhưng hạn sử dụng chỉ còn vài ngày, không ghi rõ', 'negative'],
    ['bao ve cua hang thai do hach dich, soi khach nhu trom', 'negative'],
    ['Giày đi êm chân, đúng size, giao hàng nhanh', 'positive'],
    ['Cửa hàng mới mở rộng rãi, hàng hóa sắp xếp gọn gàng', 'positive'],
    ['shop dong goi can than, tang kem qua nho, rat ung', 'positive'],
    ['Cửa hàng có bán sữa cho trẻ dưới một tuổi không?', 'neutral'],
    ['Siêu thị mở cửa đến 10 giờ tối', 'neutral'],
    ['Mình vừa mua một đôi giày chạy bộ', 'neutral'],
    ['co ship ve Can Tho khong shop', 'neutral'],
    ['Chương trình khuyến mãi kéo dài đến hết tháng này', 'neutral'],
  ],
  'public services': [
    ['Làm căn cước ở phường, hẹn lên hẹn xuống ba lần vẫn chưa có', 'negative'],
    ['Cán bộ một cửa thái độ hách dịch, hỏi gì cũng gắt', 'negative'],
    ['Hồ sơ nộp đúng hạn mà bị làm mất, phải nộp lại từ đầu', 'negative'],
    ['Đường ngập nước mỗi khi mưa mà chẳng ai xử lý', 'negative'],
    ['Thủ tục hành chính nhiêu khê, giấy tờ photo đủ thứ', 'negative'],
    ['Rác để ùn ứ cả tuần, bốc mùi hôi thối', 'negative'],
    ['Muốn nhanh thì phải bồi dưỡng, thật là hành dân', 'negative'],
    ['dich vu cong truc tuyen loi suot, nop ho so khong duoc', 'negative'],
    ['Mất điện liên tục mà không có thông báo lịch cắt điện', 'negative'],
    ['Cán bộ phường hướng dẫn tận tình, làm hồ sơ xong trong buổi sáng', 'positive'],
    ['Nộp hồ sơ online rất tiện, không phải đi lại', 'positive'],
    ['Đường mới làm sạch đẹp, thoáng mát, cảm ơn thành phố', 'positive'],
    ['can bo tiep dan lich su, giai quyet nhanh chong', 'positive'],
    ['Làm hộ chiếu cần những giấy tờ gì?', 'neutral'],
    ['Bộ phận một cửa làm việc giờ hành chính', 'neutral'],
    ['Mình vừa nộp hồ sơ đăng ký kết hôn', 'neutral'],
    ['thu tuc cap lai giay phep lai xe mat bao lau', 'neutral'],
    ['Cán bộ tiếp nhận hồ sơ vui vẻ, hướng dẫn cụ thể', 'positive'],
    ['Nộp hồ sơ ba tuần rồi mà chưa có kết quả, gọi điện không ai nghe', 'negative'],
    ['duong xa nhieu o ga, di lai rat nguy hiem', 'negative'],
    ['Phường mình sáng mai cắt nước từ 8 giờ', 'neutral'],
  ],
};

/** Share of each domain's sentences read with the right polarity. */
const ACCURACY = 0.9;

describe.each(Object.entries(DOMAINS))('Vietnamese feedback: %s (hand-written)', (_domain, cases) => {
  it('has at least 15 sentences, negative, positive and neutral', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const polarity of ['negative', 'positive', 'neutral'] as const) {
      expect(cases.filter((c) => c[1] === polarity).length).toBeGreaterThanOrEqual(4);
    }
  });

  it(`reads polarity (>= ${ACCURACY} right, never the opposite sign)`, () => {
    const misses: string[] = [];
    const flips: string[] = [];
    for (const [text, polarity] of cases) {
      const analysis = analyze({ text });
      if (analysis.polarity === polarity) continue;
      const line = `${analysis.polarity} (${analysis.sentiment.compound}, ${analysis.language}), want ${polarity}: ${text}`;
      misses.push(line);
      if (polarity !== 'neutral' && analysis.polarity !== 'neutral') flips.push(line);
    }
    expect(flips).toEqual([]);
    // Below the bar, list what was misread.
    if (1 - misses.length / cases.length < ACCURACY) expect(misses).toEqual([]);
  });

  it('takes neither praise nor neutral questions and facts for complaints', () => {
    const wrong = cases
      .filter(([, polarity]) => polarity !== 'negative')
      .filter(([text]) => analyze({ text }).complaint)
      .map(([text]) => text);
    expect(wrong).toEqual([]);
  });
});
