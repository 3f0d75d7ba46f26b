import type { EventName, EventPayload } from '../../app/protocol/spec';
import type { VajraContract } from '../../app/protocol/contract';

type Listener = <E extends EventName<VajraContract>>(event: E, payload: EventPayload<VajraContract, E>) => void;

/** Fans backend events out to every connected client (each WebSocket or IPC window). */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName<VajraContract>>(event: E, payload: EventPayload<VajraContract, E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
