import { z } from 'zod';

/**
 * The JSON:API documents credo-notify reads from and sends to Credo AI, and their plain shapes.
 * Reading is lenient: unknown members are ignored and unset attributes (absent, null or empty)
 * read as undefined, so a new attribute on Credo AI's side never breaks us.
 */

export interface CredoUser {
  id: string;
  email?: string;
  givenName?: string;
  familyName?: string;
  /** Full name from the given and family names, else the nickname. */
  name?: string;
}

export interface CredoUseCase {
  id: string;
  name?: string;
}

export interface CredoWebhook {
  id: string;
  url: string;
  description?: string;
  eventTypes: string[];
  eventTypePrefix?: string;
  eventTypeSuffix?: string;
  environment?: string;
  /** `none` or `o_auth`. */
  authenticationMethod?: string;
  authenticationServer?: string;
}

/** How Credo AI authenticates to the webhook URL. */
export type WebhookAuthentication =
  | { method: 'none' }
  | { method: 'o_auth'; server: string; payload: Record<string, string>; payloadType: string };

export interface NewCredoWebhook {
  description: string;
  url: string;
  eventTypes: string[];
  eventTypePrefix?: string;
  eventTypeSuffix?: string;
  environment?: string;
  authentication: WebhookAuthentication;
}

const text = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value : undefined));

/** The Swagger excerpt types `event_types` as a string; what Credo AI sends is a list. Read both. */
const eventTypes = z
  .union([z.array(z.string()), z.string()])
  .nullish()
  .transform((value) => (typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : (value ?? [])));

const userDocument = z.object({
  data: z.object({
    id: z.string().min(1),
    attributes: z.object({ email: text, given_name: text, family_name: text, nickname: text }).prefault({}),
  }),
});

const useCaseDocument = z.object({
  data: z.object({ id: z.string().min(1), attributes: z.object({ name: text }).prefault({}) }),
});

const webhookResource = z.object({
  id: z.string().min(1),
  attributes: z.object({
    url: z.string().min(1),
    description: text,
    event_types: eventTypes,
    event_type_prefix: text,
    event_type_suffix: text,
    environment: text,
    authentication_method: text,
    authentication_server: text,
  }),
});

export const userAnswer = userDocument.transform(({ data: { id, attributes: a } }): CredoUser => {
  const fullName = [a.given_name, a.family_name].filter(Boolean).join(' ');
  return {
    id,
    email: a.email,
    givenName: a.given_name,
    familyName: a.family_name,
    name: fullName || a.nickname,
  };
});

export const useCaseAnswer = useCaseDocument.transform(
  ({ data }): CredoUseCase => ({ id: data.id, name: data.attributes.name }),
);

const toWebhook = ({ id, attributes: a }: z.output<typeof webhookResource>): CredoWebhook => ({
  id,
  url: a.url,
  description: a.description,
  eventTypes: a.event_types,
  eventTypePrefix: a.event_type_prefix,
  eventTypeSuffix: a.event_type_suffix,
  environment: a.environment,
  authenticationMethod: a.authentication_method,
  authenticationServer: a.authentication_server,
});

export const webhookAnswer = z.object({ data: webhookResource }).transform(({ data }) => toWebhook(data));

export const webhookListAnswer = z
  .object({ data: z.array(webhookResource) })
  .transform(({ data }) => data.map(toWebhook));

/** JSON:API errors, the body of Credo AI's 4xx answers. */
export const errorsAnswer = z.object({
  errors: z.array(z.object({ title: text, detail: text })),
});

/** The create request as Credo AI documents it; an undefined attribute is left out of the JSON. */
export function newWebhookDocument(webhook: NewCredoWebhook) {
  const { authentication } = webhook;
  return {
    data: {
      type: 'webhook',
      attributes: {
        description: webhook.description,
        url: webhook.url,
        event_types: webhook.eventTypes,
        event_type_prefix: webhook.eventTypePrefix,
        event_type_suffix: webhook.eventTypeSuffix,
        environment: webhook.environment,
        authentication_method: authentication.method,
        ...(authentication.method === 'o_auth' && {
          authentication_server: authentication.server,
          authentication_payload: authentication.payload,
          authentication_payload_type: authentication.payloadType,
        }),
      },
    },
  };
}
