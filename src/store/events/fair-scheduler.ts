/**
 * Fair scheduling of request queries over a fixed set of lanes (connections, or slots of a
 * server's connection pool). Cheap lanes take only cheap queries, so a host page never waits
 * behind a search; heavy lanes take heavy queries and, when no heavy one is waiting, cheap ones.
 * Within a class, principals are served round-robin: however many queries one principal has
 * queued, another principal's query waits for at most one of them per lane.
 */
import type { QueryContext, QueryCost } from './query-context.js';

interface Task {
  readonly cost: QueryCost;
  start(lane: number): void;
}

export interface SchedulerStats {
  readonly running: Record<QueryCost, number>;
  readonly queued: Record<QueryCost, number>;
}

export class FairScheduler {
  /** Per class, the principals with queued tasks in service order (a Map keeps insertion order). */
  private readonly queues: Record<QueryCost, Map<string, Task[]>> = { cheap: new Map(), heavy: new Map() };
  /** Per lane: what runs on it, or undefined when idle. Cheap lanes first. */
  private readonly lanes: (QueryCost | undefined)[];
  private readonly queuedCount: Record<QueryCost, number> = { cheap: 0, heavy: 0 };

  constructor(readonly cheapLanes: number, readonly heavyLanes: number) {
    if (!(cheapLanes >= 1 && heavyLanes >= 1)) throw new RangeError('a scheduler needs at least one cheap and one heavy lane');
    this.lanes = new Array<QueryCost | undefined>(cheapLanes + heavyLanes).fill(undefined);
  }

  /** Runs `fn` on a lane when its turn comes; `fn` receives the lane's index (0 … lanes − 1). */
  run<T>(ctx: QueryContext, fn: (lane: number) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        cost: ctx.cost,
        start: (lane) => {
          this.lanes[lane] = ctx.cost;
          let p: Promise<T>;
          try {
            p = fn(lane);
          } catch (e) {
            p = Promise.reject(e);
          }
          const free = (): void => {
            this.lanes[lane] = undefined;
            this.dispatch();
          };
          p.then((v) => { free(); resolve(v); }, (e: unknown) => { free(); reject(e); });
        },
      };
      const q = this.queues[ctx.cost];
      const mine = q.get(ctx.principal);
      if (mine) mine.push(task);
      else q.set(ctx.principal, [task]);
      this.queuedCount[ctx.cost]++;
      this.dispatch();
    });
  }

  stats(): SchedulerStats {
    const running = { cheap: 0, heavy: 0 };
    for (const c of this.lanes) if (c) running[c]++;
    return { running, queued: { ...this.queuedCount } };
  }

  private dispatch(): void {
    for (let lane = 0; lane < this.lanes.length; lane++) {
      if (this.lanes[lane] !== undefined) continue;
      const heavyLane = lane >= this.cheapLanes;
      // A heavy lane serves heavy queries first (cheap ones have lanes of their own) and lends
      // itself to a cheap query only when no heavy one waits.
      const task = heavyLane ? (this.next('heavy') ?? this.next('cheap')) : this.next('cheap');
      if (task) task.start(lane);
    }
  }

  /** The next task of a class: the first principal in line, who then goes to the back. */
  private next(cost: QueryCost): Task | undefined {
    const q = this.queues[cost];
    for (const [principal, tasks] of q) {
      const task = tasks.shift();
      q.delete(principal);
      if (tasks.length > 0) q.set(principal, tasks);
      if (task) {
        this.queuedCount[cost]--;
        return task;
      }
    }
    return undefined;
  }
}
