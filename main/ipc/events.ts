// Typed pushed events from the main process to every connected window/page. Transports
// subscribe; features emit. High-volume streams are batched by the transport, not here.
import type { ApiEventName, ApiEvents } from '../../preload/api';

export type EventSink = (event: ApiEventName, payload: unknown) => void;

export class EventBus {
  private readonly sinks = new Set<EventSink>();

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const sink of this.sinks) sink(event, payload);
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
