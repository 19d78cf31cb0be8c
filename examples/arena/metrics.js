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

/**
 * The body of GET /arena/metrics: Prometheus text format 0.0.4, one HELP and one TYPE line per family
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), names in base units with the `aoi_` prefix and
 * `_total` on counters (https://prometheus.io/docs/practices/naming/). Besides the detectors' counters, the seed's
 * monitoring table (docs/arena-tutorial.md, "Monitoring"): update latency, entities per cell and their spread, and
 * the backlog of the engine, the recorder and the trace file.
 */
export function metricsText(arena, detection) {
  const report = detection.report();
  const stats = arena.recorder.stats();
  const { engine } = stats;
  const lines = [];
  const family = (name, type, help, samples) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [suffix, value] of samples) lines.push(`${name}${suffix} ${value}`);
  };
  const metric = (name, type, help, value) => family(name, type, help, [['', value]]);
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
  if (engine.latency) {
    // A summary without quantiles: rate(_sum) / rate(_count) is the average update latency.
    family('aoi_update_duration_seconds', 'summary', 'Time the engine spent computing AOI updates.', [
      ['_sum', engine.latency.totalSeconds],
      ['_count', engine.latency.count],
    ]);
  }
  metric('aoi_entities', 'gauge', 'Entities in the AOI world.', engine.entities);
  const cells = engine.occupancy;
  if (cells) {
    metric('aoi_cell_size', 'gauge', 'Edge of the AOI grid cells, in world units.', cells.cellSize);
    metric('aoi_occupied_cells', 'gauge', 'AOI grid cells holding at least one entity.', cells.cells);
    metric('aoi_cell_entities_max', 'gauge', 'Entities in the fullest occupied cell.', cells.max);
    metric('aoi_cell_entities_mean', 'gauge', 'Mean entities per occupied cell.', cells.mean);
    metric(
      'aoi_cell_entities_stddev',
      'gauge',
      'Population standard deviation of the entities per occupied cell.',
      cells.stdDev,
    );
  }
  metric('aoi_pending_changes', 'gauge', 'Entity changes waiting for the next AOI update.', engine.pendingChanges);
  metric(
    'aoi_trace_open_events',
    'gauge',
    'AOI events recorded in the open tick, not yet handed to the trace.',
    stats.openEvents,
  );
  if (stats.sink) {
    metric('aoi_trace_unwritten_ticks', 'gauge', 'Recorded ticks not yet written to the trace file.', stats.sink.ticks);
    metric(
      'aoi_trace_queued_chunks',
      'gauge',
      'Trace chunks with the packer (background worker queue) and not yet written.',
      stats.sink.chunks,
    );
  }
  return `${lines.join('\n')}\n`;
}
