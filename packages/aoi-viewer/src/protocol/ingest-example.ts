/**
 * The shell command the live page offers while it waits for data: a header and two ticks sent to `ingest`, enough
 * to see the page come alive (the CLI test posts these very lines to a real `aoi-trace serve`).
 */
export function ingestExample(ingest: string): string {
  return [
    `curl -X POST --data-binary @- ${ingest} <<'EOF'`,
    '{"type":"header","source":"my-server","tagNames":["player"]}',
    '{"type":"tick","tick":0,"time":0,"spawns":[{"id":1,"x":0,"y":0,"viewRadius":10,"tags":["player"]}]}',
    '{"type":"tick","tick":1,"time":50,"moves":[{"id":1,"x":3,"y":4}]}',
    'EOF',
  ].join('\n');
}
