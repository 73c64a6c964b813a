/**
 * The app's `deploy.service_image_patterns` setting checked against the services of a convox.yml. A pattern
 * must match the whole image (it is anchored here, whatever the admin wrote); `{{GIT_COMMIT}}` stands for
 * the approved commit (40 hex digits, which need no escaping). A service's own pattern wins over `*`;
 * services with neither are not checked.
 */
export interface ManifestServices {
  /** Service name → its `image:` (null when the service is built from source instead). */
  readonly [service: string]: string | null;
}

export type ImageVerdict = { ok: true } | { ok: false; reason: string };

const GIT_COMMIT = /\{\{GIT_COMMIT\}\}/g;

export function checkServiceImages(
  services: ManifestServices,
  patterns: Readonly<Record<string, string>>,
  approvedCommit: string,
): ImageVerdict {
  if (Object.keys(patterns).length === 0) return { ok: true };
  const names = Object.keys(services).sort();
  if (names.length === 0) return { ok: false, reason: 'the manifest defines no services' };
  for (const name of names) {
    const pattern = patterns[name] ?? patterns['*'];
    if (pattern === undefined) continue;
    const image = services[name];
    const expected = pattern.replace(GIT_COMMIT, approvedCommit);
    if (image === null || image === undefined)
      return {
        ok: false,
        reason: `service ${name} must use a pre-built image matching "${expected}" (it has no image:)`,
      };
    let matcher: RegExp;
    try {
      matcher = new RegExp(`^(?:${expected})$`);
    } catch {
      return { ok: false, reason: `the image pattern for service ${name} is not a valid regular expression` };
    }
    if (!matcher.test(image))
      return { ok: false, reason: `service ${name} image "${image}" does not match "${expected}"` };
  }
  return { ok: true };
}
