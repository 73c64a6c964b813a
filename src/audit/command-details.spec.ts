import { commandDetailsOf } from './command-details';
import { createRedactor, REDACTED } from './redaction';

const redactor = createRedactor();

describe('commandDetailsOf', () => {
  it('keeps what `convox run` ran, its env names and options, with the secrets cut out', () => {
    const details = commandDetailsOf(
      {
        command: 'DATABASE_URL=postgres://u:pw@db/x bin/migrate --password hunter2',
        environment: 'TOKEN=abc&PLAIN=1&TOKEN=def',
        image: 'registry.example.com/app:1',
        release: 'RABC',
        privileged: 'true',
        height: '40',
      },
      redactor,
    );
    expect(details).toEqual({
      command: `DATABASE_URL=${REDACTED} bin/migrate --password ${REDACTED}`,
      environmentKeys: ['PLAIN', 'TOKEN'],
      image: 'registry.example.com/app:1',
      release: 'RABC',
      privileged: 'true',
    });
  });

  it('adds nothing to calls that start no command', () => {
    expect(commandDetailsOf({ 'content-type': 'application/json' }, redactor)).toEqual({});
  });
});
