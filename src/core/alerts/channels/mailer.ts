// nodemailer behind its own file: esbuild builds it as dist/mailer.js and the other bundles
// require it only when an e-mail is sent, so the engine and CLI do not carry 500 KB of SMTP.
import * as nodemailer from 'nodemailer';

export const createTransport = nodemailer.createTransport;
