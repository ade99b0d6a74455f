import type { ReceivedEvent } from '../events/credo-event.js';
import type { EventType } from '../events/event-types.js';
import type { CardVersion, MessageOf, Platform } from '../messages.js';

/** A person as the message should show them. */
export interface Person {
  name?: string;
  email?: string;
  /** Chat user id (Slack `U…`), when resolved: makes a real mention. */
  slackId?: string;
  /** Teams user id or UPN, when resolved. */
  teamsId?: string;
}

export interface RenderInput {
  event: ReceivedEvent;
  /** Use case name from the Credo AI API, when known. */
  useCaseName?: string;
  /** People by Credo AI user id (from the event, the config and the API). */
  people?: Record<string, Person>;
  /** Set when rendering the parent of a thread this event starts or updates. */
  threadParent?: ThreadParentOf;
  /**
   * Set when rendering a digest (issue 18): the events it gathers, oldest first, `event` being
   * the first. The renderer lists as many as the platform's limits allow, then "and N more".
   */
  digest?: DigestOf;
}

/** What a digest gathers: its events, with the reason each was owed a direct message, for a DM digest. */
export interface DigestOf {
  items: ReadonlyArray<{ event: ReceivedEvent; reason?: 'tagged' | 'assigned' }>;
}

/** A thread's parent shows its use case, its review (with `thread: review`) and the status last reported. */
export interface ThreadParentOf {
  review: boolean;
  status: string | null;
}

/**
 * Renders an event through a named Handlebars template into a platform's message.
 * Templates are compiled once at start; `render` never touches the disk.
 */
export interface Renderer {
  /** Whether `platform` has a template of that name (built-in or the user's). */
  has(platform: Platform, name: string): boolean;
  /** Every template name a route may use on that platform (partials excluded). */
  names(platform: Platform): string[];
  /** The template for an event: the route's own, else the event type's, else `default`. */
  templateFor(platform: Platform, type: EventType, routeTemplate?: string): string;
  /**
   * The message `template` makes of `input` on `platform`; throws a TemplateError when it fails,
   * or when a Teams card is not valid at `cardVersion`, the newest its destination's host
   * displays (the bot's 1.5 unless told; a Workflows destination's is 1.4). Slack ignores it.
   */
  render<P extends Platform>(
    platform: P,
    template: string,
    input: RenderInput,
    cardVersion?: CardVersion,
  ): MessageOf[P];
}
