import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The structured logger every Earshot Lambda shares (Powertools: JSON lines with the service name and, inside a
 * handler, the request id). Fields logged here are what Logs Insights queries (README: "Monitoring").
 */
export const logger = new Logger();
