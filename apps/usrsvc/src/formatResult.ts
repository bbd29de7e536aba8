import { ReturnCodes, returnCodeName } from '@usrsvc/launcher';
import type { Printer } from './printer.js';
import { processDetails } from './processDetails.js';
import type { ProgramResult } from './programResult.js';

/** Prints one action's result in the original's words: results on stdout, failures on stderr. */
export function printResult(printer: Printer, result: ProgramResult): void {
  switch (result.code) {
    case ReturnCodes.PROGRAM_UNDEFINED:
      printer.logErr(printer.errColors.red(`No such program: ${result.name}`));
      break;
    case ReturnCodes.PROGRAM_DISABLED:
      printer.logErr(
        `Program ${result.name} is currently disabled in config. Only the "status" and "stop" actions are supported on disabled programs.`,
      );
      break;
    case ReturnCodes.TRY_AGAIN:
      printer.logErr(printer.errColors.red(`Cannot acquire lock for ${result.name}: ${result.message}`));
      break;
    default:
      if (result.action === 'status') printStatus(printer, result);
      else if (result.code !== ReturnCodes.SUCCESS) printFailure(printer, result);
      else if (result.action === 'stop') printStopped(printer, result);
      else printStarted(printer, result);
  }
}

function details(result: ProgramResult): string {
  return result.process ? `\n\n${processDetails(result.process)}\n` : '';
}

function printStatus(printer: Printer, result: ProgramResult): void {
  if (result.code === ReturnCodes.SUCCESS) {
    printer.logMsg(`${result.name} is ${printer.outColors.green('running')}:${details(result)}`);
  } else {
    const byUser = result.outcome === 'stopped-by-user' ? ' (stopped by user)' : '';
    printer.logErr(`${result.name} is ${printer.errColors.red('NOT running')}${byUser}`);
  }
}

function printStopped(printer: Printer, result: ProgramResult): void {
  if (!result.process || result.outcome === 'not-running') {
    printer.logMsg(`${result.name} was not running.`);
    return;
  }
  printer.logMsg(`Stopping ${result.name} [${result.process.pid}]`);
  printer.logMsg(`${result.name} ${result.outcome}`);
}

function printStarted(printer: Printer, result: ProgramResult): void {
  if (result.outcome === 'already-running') {
    printer.logMsg(`Program ${result.name} is already running:${details(result)}`);
  } else {
    const verb = result.action === 'restart' ? 'Restarted' : 'Started';
    printer.logMsg(`${printer.outColors.green(verb)} ${result.name}:${details(result)}`);
  }
}

function printFailure(printer: Printer, result: ProgramResult): void {
  const verb = result.action === 'stop' ? 'stop' : result.action === 'restart' ? 'restart' : 'start';
  printer.logErr(
    printer.errColors.red(`Failed to ${verb} ${result.name}! Err=${result.code} (${returnCodeName(result.code)})`),
  );
  if (result.message) printer.err(`  ${result.message}`);
  if (result.stderrTail?.length) {
    printer.err(`  last lines of ${result.name}'s stderr:`);
    for (const line of result.stderrTail) printer.err(`    ${line}`);
  }
}
