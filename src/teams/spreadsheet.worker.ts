/** Parses one uploaded spreadsheet off the request thread (see readSpreadsheet). */
import { parentPort, workerData } from 'node:worker_threads';
import { parseSpreadsheet } from './spreadsheet.js';

parentPort!.postMessage(await parseSpreadsheet(workerData as Uint8Array));
