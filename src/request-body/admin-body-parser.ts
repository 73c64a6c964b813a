import { HttpException, HttpStatus } from '@nestjs/common';
import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { assertJsonDepthAtMost, JsonTooDeepError } from './json-nesting';

/**
 * No admin DTO nests more than a few levels; 32 leaves room for `details` objects while keeping
 * JSON.parse, class-transformer and the logger far from the stack depth a hostile body could push them to.
 */
export const MAX_JSON_DEPTH = 32;

/** Form fields the approval pages post are a handful; more is not a form we wrote. */
const MAX_FORM_FIELDS = 100;

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * JSON and urlencoded parsing for the admin API. Size is enforced while the body streams in, and the
 * nesting depth of JSON is checked on the raw bytes, both before anything is parsed; every refusal becomes
 * an HttpException with a reason (413 too large, 400 too deep or malformed, 415 unsupported), so the global
 * exception filter answers it like any other client error instead of a 500.
 */
export function adminBodyParser(limit: string): Middleware {
  const parseJson = json({
    limit,
    verify: (_req, _res, body, encoding) => {
      // RFC 8259: JSON exchanged between systems is UTF-8; the depth scan relies on it.
      if (encoding !== 'utf-8') throw new UnsupportedCharsetError(encoding);
      assertJsonDepthAtMost(body, MAX_JSON_DEPTH);
    },
  });
  const parseForm = urlencoded({ extended: false, limit, parameterLimit: MAX_FORM_FIELDS });
  return (req, res, next) => {
    const fail = (error: unknown) => next(asClientError(error, limit));
    parseJson(req, res, (error?: unknown) => {
      if (error) return fail(error);
      parseForm(req, res, (formError?: unknown) => (formError ? fail(formError) : next()));
    });
  };
}

class UnsupportedCharsetError extends Error {
  constructor(charset: string) {
    super(`unsupported charset "${charset}": send JSON as UTF-8`);
  }
}

/** body-parser's errors carry a `type`; each maps to one status and code. Anything else passes as is. */
function asClientError(error: unknown, limit: string): unknown {
  if (error instanceof JsonTooDeepError)
    return refusal(HttpStatus.BAD_REQUEST, 'body_too_deep', `request body ${error.message}`);
  if (error instanceof UnsupportedCharsetError)
    return refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_charset', error.message);
  const cause = error as { type?: string; message?: string };
  switch (cause.type) {
    case 'entity.too.large':
      return refusal(HttpStatus.PAYLOAD_TOO_LARGE, 'body_too_large', `request body larger than ${limit}`);
    case 'parameters.too.many':
      return refusal(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'body_too_large',
        `form has more than ${MAX_FORM_FIELDS} fields`,
      );
    case 'entity.parse.failed':
      return refusal(HttpStatus.BAD_REQUEST, 'invalid_json', 'request body is not valid JSON');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_encoding', String(cause.message));
    case 'request.aborted':
      return refusal(HttpStatus.BAD_REQUEST, 'request_aborted', 'the client stopped sending the body');
    case 'request.size.invalid':
      return refusal(HttpStatus.BAD_REQUEST, 'invalid_body', 'request body shorter than its Content-Length');
    default:
      return error;
  }
}

function refusal(status: HttpStatus, error: string, message: string): HttpException {
  return new HttpException({ error, message }, status);
}
