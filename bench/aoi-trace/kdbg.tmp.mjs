import { openTraceReader, WorldState } from '@lanes/aoi-trace';
const { KineticPairs } = await import('/work/wt-scale2/packages/aoi-trace/dist/detect/kinetic-pairs.js');
const reader = openTraceReader('/tmp/scale-rt.aoitrace');
const kp = new KineticPairs(Number(process.env.TOL ?? 0.1), Number(process.env.SKIN ?? 0.25));
const st = new WorldState();
let n = 0, total = 0, handed = 0, applyMs = 0;
for (const r of reader.ticks({ to: 199 })) {
  const a0 = performance.now();
  st.apply(r);
  const t0 = performance.now();
  applyMs += t0 - a0;
  const c = kp.update(st, r);
  const ms = performance.now() - t0;
  if (n++ >= 50) { total += ms; handed += c.count; }
}
console.log(process.env.SKIN, 'kinetic ms/tick', (total / 150).toFixed(2), 'handed/tick', (handed / 150) | 0, 'apply ms/tick', (applyMs / 200).toFixed(2));
