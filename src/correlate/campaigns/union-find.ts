/** Union-find over address indices in typed arrays (path halving, union by size): no object per address. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Uint32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Uint32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    let i = x;
    while (p[i] !== i) {
      const up = p[p[i] as number] as number;
      p[i] = up;
      i = up;
    }
    return i;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
  }

  /** Members of the set of `x`. */
  sizeOf(x: number): number {
    return this.size[this.find(x)] as number;
  }
}
