import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../access-control/public.decorator';

/** The nearest package.json above this file (src/auth in development, dist/src/auth when built). */
function gatewayVersion(): string {
  for (let folder = __dirname; dirname(folder) !== folder; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file))
      return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
  }
  return 'unknown';
}

class InfoDto {
  @ApiProperty({ example: 'rack-gateway' }) name!: string;
  @ApiProperty() version!: string;
}

const INFO: InfoDto = { name: 'rack-gateway', version: gatewayVersion() };

@ApiTags('info')
@Controller('api/v1/info')
export class InfoController {
  /** Public: lets the CLI check it is talking to a rack-gateway before it logs in. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Name and version of this gateway' })
  @ApiOkResponse({ type: InfoDto })
  info() {
    return INFO;
  }
}
