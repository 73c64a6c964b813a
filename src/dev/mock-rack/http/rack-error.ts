/**
 * An error a rack handler returns on purpose: the status and the message the CLI will print
 * (`ERROR: <message>`). Anything else thrown by a handler becomes a 500, as on the real rack.
 */
export class RackError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  static badRequest(message: string): RackError {
    return new RackError(400, message);
  }

  static notFound(message: string): RackError {
    return new RackError(404, message);
  }

  static forbidden(message: string): RackError {
    return new RackError(403, message);
  }

  static notImplemented(message: string): RackError {
    return new RackError(501, message);
  }
}
