// Runs candidates in interleaved rounds: every round runs each candidate once, in a rotated order
// so none always goes first. A round = `requests` calls with `concurrency` in flight. Records
// throughput (req/s) and this process's CPU time per request (µs) of every candidate in every round.

async function runRound(call, requests, concurrency) {
  let started = 0;
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

export async function interleave(candidates, { rounds, requests, concurrency, warmupRounds = 1, onRound }) {
  const names = Object.keys(candidates);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -warmupRounds; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + Math.max(round, 0)) % names.length];
      const result = await runRound(candidates[name], requests, concurrency);
      if (round >= 0) results[name].push(result);
    }
    if (round >= 0) onRound?.(round + 1, rounds);
  }
  return results;
}
