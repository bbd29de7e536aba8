export { startSmtpTestServer, type SmtpTestServer, type SmtpTestServerOptions, type ReceivedMail } from './smtpTestServer.js';
export { writeFakeSendmail, readCapturedMails, type FakeSendmailOptions, type CapturedMail } from './fakeSendmail.js';
export { parseRawMail, type ParsedMail } from './parseRawMail.js';
export { memoryLogger, type LogEntry } from './memoryLogger.js';
