// The header chunk: the TraceHeader, written once after the file header.

import { TraceError, TraceErrorCode } from '../errors.js';
import type { TraceHeader } from '../model/types.js';
import type { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { beyondLimit, Limits } from './limits.js';
import { StringTableReader, StringTableWriter } from './string-table.js';

export function encodeHeader(header: TraceHeader): Uint8Array {
  validateHeader(header);
  const bytes = headerBytes(header);
  if (bytes.length > Limits.headerPayload) {
    throw beyondLimit(
      `the header (tag names, attributes) takes ${bytes.length} bytes, over the ${Limits.headerPayload}-byte limit`,
    );
  }
  return bytes;
}

/** The header's bytes, unchecked (encodeHeader checks; tests build headers a reader must refuse). */
export function headerBytes(header: TraceHeader): Uint8Array {
  const out = new ByteWriter(256);
  const strings = new StringTableWriter();
  strings.write(out, header.source);
  out.f64(header.startTime);
  out.f64(header.regionSize);
  out.f64(header.quantum);
  out.f64(header.epsilon);
  out.varint(header.tagNames.length);
  for (const name of header.tagNames) strings.write(out, name);
  const attributes = Object.entries(header.attributes);
  out.varint(attributes.length);
  for (const [key, value] of attributes) {
    strings.write(out, key);
    strings.write(out, value);
  }
  return out.toBytes();
}

export function decodeHeader(input: ByteReader): TraceHeader {
  // Checked before a string is read: a header of millions of attributes would be one huge object.
  if (input.remaining > Limits.headerPayload) {
    throw input.limit(`${input.remaining} bytes, more than the header's ${Limits.headerPayload}`);
  }
  const strings = new StringTableReader();
  const source = strings.read(input);
  const startTime = input.f64();
  const regionSize = input.f64();
  const quantum = input.f64();
  const epsilon = input.f64();
  const tagCount = input.count('tag name');
  const tagNames: string[] = [];
  for (let i = 0; i < tagCount; i++) tagNames.push(strings.read(input));
  const attributeCount = input.count('attribute', 2);
  const attributes: Record<string, string> = {};
  for (let i = 0; i < attributeCount; i++) {
    const key = strings.read(input);
    attributes[key] = strings.read(input);
  }
  input.end();
  const header = { source, startTime, regionSize, quantum, epsilon, tagNames, attributes };
  if (!(quantum > 0 && Number.isFinite(quantum)) || !(epsilon >= 0 && Number.isFinite(epsilon))) {
    throw input.fail(`bad quantum ${quantum} or epsilon ${epsilon}`);
  }
  // Regions are floor(position / regionSize): 0, NaN or Infinity would put every entity in a nonsense region.
  if (!(regionSize > 0 && Number.isFinite(regionSize))) throw input.fail(`bad regionSize ${regionSize}`);
  return header;
}

function validateHeader(header: TraceHeader): void {
  if (!(header.regionSize > 0 && Number.isFinite(header.regionSize))) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `header.regionSize must be a positive number, got ${header.regionSize}.`,
    );
  }
  if (!(header.quantum > 0 && Number.isFinite(header.quantum))) {
    throw new TraceError(
      TraceErrorCode.InvalidArgument,
      `header.quantum must be a positive number, got ${header.quantum}.`,
    );
  }
  if (!(header.epsilon >= 0 && Number.isFinite(header.epsilon))) {
    throw new TraceError(TraceErrorCode.InvalidArgument, `header.epsilon must be >= 0, got ${header.epsilon}.`);
  }
}
