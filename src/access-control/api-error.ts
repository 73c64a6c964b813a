import { HttpException, HttpStatus } from '@nestjs/common';

/** A 4xx with a stable machine code and a human message, the admin API's error shape. */
export function apiError(status: HttpStatus, error: string, message: string): HttpException {
  return new HttpException({ error, message }, status);
}
