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
      else if (result.action === 'reload' || result.action === 'signal') printer.logMsg(`${result.message}.`);
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
    // Text from the program itself: control characters are not passed to the terminal.
    if (result.readiness?.status !== undefined) printer.out(`  STATUS: ${JSON.stringify(result.readiness.status).slice(1, -1)}`);
    printLeftovers(printer, result, 'processes of an earlier run still running');
  } else {
    const byUser = result.outcome === 'stopped-by-user' ? ' (stopped by user)' : '';
    printer.logErr(`${result.name} is ${printer.errColors.red('NOT running')}${byUser}`);
    printLeftovers(printer, result, 'processes of its last run still running');
  }
}

function printStopped(printer: Printer, result: ProgramResult): void {
  if (!result.process || result.outcome === 'not-running') {
    // The launcher's message adds what it did about leftovers, if anything.
    printer.logMsg(result.message === `${result.name} was not running` ? `${result.name} was not running.` : `${result.message}.`);
  } else {
    printer.logMsg(`Stopping ${result.name} [${result.process.pid}]`);
    printer.logMsg(`${result.name} ${result.outcome}`);
  }
  printLeftovers(printer, result, 'processes of its tree still running');
}

/** Leftovers, one per line on stderr: pid and command line. */
function printLeftovers(printer: Printer, result: ProgramResult, title: string): void {
  if (!result.leftovers?.length) return;
  printer.err(printer.errColors.red(`  ${title} (${result.leftovers.length}):`));
  for (const leftover of result.leftovers) printer.err(`    [${leftover.pid}] ${leftover.cmdline}`);
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
  const verb = result.action === 'status' ? 'start' : result.action;
  printer.logErr(
    printer.errColors.red(`Failed to ${verb} ${result.name}! Err=${result.code} (${returnCodeName(result.code)})`),
  );
  if (result.message) printer.err(`  ${result.message}`);
  printLeftovers(printer, result, 'processes of an earlier run still running (they may hold its port)');
  if (result.stderrTail?.length) {
    printer.err(`  last lines of ${result.name}'s stderr:`);
    for (const line of result.stderrTail) printer.err(`    ${line}`);
  }
}
