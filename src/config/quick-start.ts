/**
 * The config used when there is no `--config` and no ./credo-notify.yaml: everything is
 * printed to the console, so a first run needs no chat platform. Kept as a string because
 * tsc does not copy .yaml files into dist.
 */

/**
 * Public on purpose, so `credo-notify replay` and local tests can sign deliveries without any
 * setup: "whsec_" + base64("credo-notify-dev-only-not-secret"). `serve` warns loudly while it
 * is in use; set CREDO_WEBHOOK_SECRET to the endpoint's real secret before facing the internet.
 */
export const DEV_WEBHOOK_SECRET = 'whsec_Y3JlZG8tbm90aWZ5LWRldi1vbmx5LW5vdC1zZWNyZXQ=';

export const QUICK_START_SOURCE = 'bundled quick-start config';

export const QUICK_START_CONFIG = `# credo-notify quick start: every Credo AI event is printed to the console.
# Copy credo-notify.example.yaml to credo-notify.yaml to send to Slack or Teams instead.
server:
  host: \${HOST:-127.0.0.1}
  port: \${PORT:-3000}
  webhookPath: /webhooks/credo

store:
  url: \${DATABASE_URL:-sqlite:./data/credo-notify.db}

credo:
  auth:
    method: svix
    secrets:
      - \${CREDO_WEBHOOK_SECRET:-${DEV_WEBHOOK_SECRET}}
  eventTypePrefix: CredoAI
  eventTypeSuffix: v1

destinations:
  console:
    console: {}

routes:
  - name: every event to the console
    match:
      events: ["*"]
    to: [console]

# The operator console (/console) and the admin API: on once ADMIN_TOKEN is set (32+ bytes).
admin:
  token: \${ADMIN_TOKEN:-}
`;
