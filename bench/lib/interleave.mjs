// Runs candidates in interleaved rounds: every round runs each candidate once, in a shuffled order,
// so that none always goes first or always follows the same other one. Each round starts from a
// collected young generation: a candidate pays for the garbage it makes, not for what the one
// before it left (a minor collection: a full one would age and flush compiled code).
// A round = `requests` calls with `concurrency` in flight. Records throughput (req/s) and this
// process's CPU time per request (µs) of every candidate in every round.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The same as `node --expose-gc`, without asking every documented command to carry the flag.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

async function runRound(call, requests, concurrency) {
  let started = 0;
  collectGarbage({ type: 'minor' });
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < requests) await call();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rps: requests / seconds, cpuMicros: (cpu.user + cpu.system) / requests };
}

function shuffled(names) {
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export async function interleave(candidates, { rounds, requests, concurrency, warmupRounds = 1, onRound }) {
  const names = Object.keys(candidates);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -warmupRounds; round < rounds; round++) {
    for (const name of shuffled(names)) {
      const result = await runRound(candidates[name], requests, concurrency);
      if (round >= 0) results[name].push(result);
    }
    if (round >= 0) onRound?.(round + 1, rounds);
  }
  return results;
}
