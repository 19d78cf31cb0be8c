// Entry of a parallel-grid worker thread (see parallel-grid.ts): blocks in Atomics.wait on the shared control block
// until the main thread counts a new command, runs it on its share, writes the answer, then counts it in `Done` and
// wakes the main thread. Only rare commands and answers travel as messages (see parallel-protocol.ts).

import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { adoptPhaseClock } from './parallel-phases.js';
import { type Command, Control, type Reply, slot } from './parallel-protocol.js';
import { WorkerShare } from './parallel-share.js';

const { port, control, index, parties, phases } = workerData as {
  port: MessagePort;
  control: Int32Array;
  index: number;
  parties: number;
  phases: Float64Array | null;
};
adoptPhaseClock(phases);
const share = new WorkerShare(index, control, parties);
const at = slot(index);

// The main thread may have counted the first command before this thread booted: start from 0, not from now.
let seen = 0;
for (;;) {
  Atomics.wait(control, Control.Seq, seen);
  const seq = Atomics.load(control, Control.Seq);
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(control, Control.Exit) === 1) break;
  let reply: Reply;
  try {
    const command: Command =
      control[at + Control.CommandIsMessage] === 1
        ? (receiveMessageOnPort(port)?.message as Command)
        : {
            op: 'all',
            sync: {
              end: control[at + Control.End]!,
              count: control[at + Control.Count]!,
              moveEvents: control[at + Control.MoveEvents] === 1,
              checkSkin: (control[at + Control.Flags]! & 1) !== 0,
              merge: (control[at + Control.Flags]! & 2) !== 0,
            },
          };
    reply = share.handle(command);
  } catch (error) {
    // A rebuild that failed before its barrier still passes it, so the other shares are not left waiting.
    share.releaseBarrier();
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  if ('count' in reply && reply.keys === undefined && reply.segment === undefined) {
    control[at + Control.ReplyCount] = reply.count;
    control[at + Control.ReplyIsMessage] = 0;
  } else {
    port.postMessage(reply);
    control[at + Control.ReplyIsMessage] = 1;
  }
  Atomics.add(control, Control.Done, 1);
  Atomics.notify(control, Control.Done);
}
port.close();
