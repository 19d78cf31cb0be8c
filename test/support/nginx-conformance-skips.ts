/** What the nginx engine cannot pass, whichever reads the lane (njs or the native module), and why. */
export const NGINX_CONFORMANCE_SKIPS = {
  'a header named in Connection is not forwarded':
    'nginx forwards headers by fixed name only; dropping the ones a request names in Connection needs per-request header removal, which proxy_set_header cannot do for unknown names',
} as const;
