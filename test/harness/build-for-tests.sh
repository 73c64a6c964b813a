#!/bin/sh
# What `npm test` builds before Jest: the gateway's dist/ (child processes, operator commands), the CLI and
# the web console's bundle. The three are independent, so they build side by side; a failing one fails the
# whole, after the others have finished. Type errors are `npm run typecheck`'s job (it checks the web console
# too), so the console is bundled without a second check here.
cd "$(dirname "$0")/../.."
npm run build --silent & gateway=$!
npm run build --silent -w rack-gateway & cli=$!
npm exec -w rack-gateway-web -- vite build --logLevel warn & web=$!
status=0
wait "$gateway" || status=1
wait "$cli" || status=1
wait "$web" || status=1
exit "$status"
