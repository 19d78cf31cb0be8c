/** World to screen: screen = (world - center) * scale + size / 2, in CSS pixels; y grows downwards on both. */
export class Camera {
  centerX = 0;
  centerY = 0;
  scale = 1;
  width = 1;
  height = 1;

  toScreenX(x: number): number {
    return (x - this.centerX) * this.scale + this.width / 2;
  }

  toScreenY(y: number): number {
    return (y - this.centerY) * this.scale + this.height / 2;
  }

  toWorldX(sx: number): number {
    return (sx - this.width / 2) / this.scale + this.centerX;
  }

  toWorldY(sy: number): number {
    return (sy - this.height / 2) / this.scale + this.centerY;
  }

  /** Shows the rectangle [minX, maxX] x [minY, maxY] whole, centred, with a margin. */
  fitRect(minX: number, minY: number, maxX: number, maxY: number): void {
    if (!(minX <= maxX && minY <= maxY)) return;
    this.centerX = (minX + maxX) / 2;
    this.centerY = (minY + maxY) / 2;
    const spanX = Math.max(maxX - minX, 1);
    const spanY = Math.max(maxY - minY, 1);
    this.scale = Math.min((this.width * 0.92) / spanX, (this.height * 0.92) / spanY);
  }

  /** Zooms by `factor` keeping the world point under (sx, sy) in place. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const wx = this.toWorldX(sx);
    const wy = this.toWorldY(sy);
    this.scale = Math.max(1e-6, Math.min(1e6, this.scale * factor));
    this.centerX = wx - (sx - this.width / 2) / this.scale;
    this.centerY = wy - (sy - this.height / 2) / this.scale;
  }

  pan(dxScreen: number, dyScreen: number): void {
    this.centerX -= dxScreen / this.scale;
    this.centerY -= dyScreen / this.scale;
  }
}
