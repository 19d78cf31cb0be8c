import type { Camera } from '../camera.js';
import { BACKGROUND, PALETTE } from '../palette.js';
import type { PointRenderer } from './point-renderer.js';

const VERTEX = `
attribute float a_x;
attribute float a_y;
attribute float a_colour;
uniform vec2 u_scale;
uniform vec2 u_offset;
uniform float u_size;
varying float v_colour;
void main() {
  gl_Position = vec4(a_x * u_scale.x + u_offset.x, a_y * u_scale.y + u_offset.y, 0.0, 1.0);
  gl_PointSize = u_size;
  v_colour = a_colour;
}`;

const FRAGMENT = `
precision mediump float;
uniform vec3 u_palette[${PALETTE.length}];
varying float v_colour;
void main() {
  int index = int(v_colour + 0.5);
  vec3 colour = u_palette[0];
  for (int i = 1; i < ${PALETTE.length}; i++) if (i == index) colour = u_palette[i];
  gl_FragColor = vec4(colour, 1.0);
}`;

/** WebGL 1: gl.POINTS from three attribute buffers (x, y, colour index), uploaded each frame. */
export class WebglPoints implements PointRenderer {
  readonly name = 'webgl';
  private readonly gl: WebGLRenderingContext;
  private readonly buffers: { x: WebGLBuffer; y: WebGLBuffer; colour: WebGLBuffer };
  private readonly uniforms: Record<'scale' | 'offset' | 'size' | 'palette', WebGLUniformLocation | null>;
  private ratio = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl', { antialias: false, alpha: false, preserveDrawingBuffer: true });
    if (gl === null) throw new Error('WebGL is not available');
    this.gl = gl;
    const program = link(gl, compile(gl, gl.VERTEX_SHADER, VERTEX), compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.useProgram(program);
    const attribute = (name: string) => {
      const buffer = gl.createBuffer()!;
      const location = gl.getAttribLocation(program, name);
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.enableVertexAttribArray(location);
      return { buffer, location };
    };
    const x = attribute('a_x');
    gl.vertexAttribPointer(x.location, 1, gl.FLOAT, false, 0, 0);
    const y = attribute('a_y');
    gl.vertexAttribPointer(y.location, 1, gl.FLOAT, false, 0, 0);
    const colour = attribute('a_colour');
    gl.vertexAttribPointer(colour.location, 1, gl.UNSIGNED_BYTE, false, 0, 0);
    this.buffers = { x: x.buffer, y: y.buffer, colour: colour.buffer };
    this.uniforms = {
      scale: gl.getUniformLocation(program, 'u_scale'),
      offset: gl.getUniformLocation(program, 'u_offset'),
      size: gl.getUniformLocation(program, 'u_size'),
      palette: gl.getUniformLocation(program, 'u_palette'),
    };
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.ratio = pixelRatio;
    this.canvas.width = Math.round(width * pixelRatio);
    this.canvas.height = Math.round(height * pixelRatio);
    this.gl.viewport(0, 0, this.canvas.width, this.canvas.height);
  }

  draw(xs: Float32Array, ys: Float32Array, colours: Uint8Array, count: number, camera: Camera, size: number): void {
    const gl = this.gl;
    gl.clearColor(BACKGROUND[0] / 255, BACKGROUND[1] / 255, BACKGROUND[2] / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (count === 0) return;
    // clip = (screen / size) * 2 - 1, with y flipped.
    const sx = (2 * camera.scale) / camera.width;
    const sy = (-2 * camera.scale) / camera.height;
    gl.uniform2f(this.uniforms.scale, sx, sy);
    gl.uniform2f(this.uniforms.offset, -camera.centerX * sx, -camera.centerY * sy);
    gl.uniform1f(this.uniforms.size, size * this.ratio);
    // Tag colours may be configured after the renderer is made: the palette (25 colours: fixed, tags, height ramp) goes up each frame.
    gl.uniform3fv(this.uniforms.palette, new Float32Array(PALETTE.flat().map((c) => c / 255)));
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.x);
    gl.bufferData(gl.ARRAY_BUFFER, xs.subarray(0, count), gl.STREAM_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.y);
    gl.bufferData(gl.ARRAY_BUFFER, ys.subarray(0, count), gl.STREAM_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.colour);
    gl.bufferData(gl.ARRAY_BUFFER, colours.subarray(0, count), gl.STREAM_DRAW);
    gl.drawArrays(gl.POINTS, 0, count);
  }
}

function compile(gl: WebGLRenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type)!;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(shader)}`);
  return shader;
}

function link(gl: WebGLRenderingContext, vertex: WebGLShader, fragment: WebGLShader): WebGLProgram {
  const program = gl.createProgram()!;
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(program)}`);
  return program;
}
