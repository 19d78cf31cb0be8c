// What the arena reports about itself: a JSON status for people and Prometheus counters for `lanes promote
// --analyze`, both read from the live detectors that watch every recorded tick.

/** Ground-truth errors are the engine disagreeing with the geometry: any at all is a bug. */
export function groundTruthErrors(report) {
  const truth = report.groundTruth;
  return truth ? truth.late + truth.missing + truth.extra : 0;
}

/** The body of GET /arena/status. */
export function statusBody(config, arena, detection, draining) {
  const report = detection.report();
  return {
    service: 'arena',
    lane: config.lane,
    revision: config.revision,
    replica: config.replicaId,
    version: config.version,
    draining,
    players: arena.players.size,
    npcs: arena.npcs.length,
    tick: arena.ticks,
    events: arena.events,
    aoi: {
      viewRadius: config.viewRadius,
      leaveRadius: config.leaveRadius,
      hysteresis: config.leaveRadius > config.viewRadius,
      mapSize: config.mapSize,
      tickMs: config.tickMs,
    },
    traceFile: config.traceFile,
    detectors: report.counts,
    groundTruth: report.groundTruth ?? null,
  };
}

/** The body of GET /arena/metrics, Prometheus text format 0.0.4. */
export function metricsText(arena, detection) {
  const report = detection.report();
  const lines = [];
  const metric = (name, type, help, value) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  metric('aoi_ticks_total', 'counter', 'AOI ticks computed and recorded.', arena.ticks);
  metric('aoi_events_total', 'counter', 'AOI enter and leave events.', arena.events);
  metric(
    'aoi_ground_truth_errors_total',
    'counter',
    'Late, missing and extra events against the recorded geometry.',
    groundTruthErrors(report),
  );
  metric(
    'aoi_oscillation_findings_total',
    'counter',
    'Enter/leave flapping found by the oscillation detector.',
    report.counts.oscillation ?? 0,
  );
  metric('arena_players', 'gauge', 'Players connected to this replica.', arena.players.size);
  return `${lines.join('\n')}\n`;
}
