import { describe, expect, it } from 'vitest';
import { validateMappings } from './validateMappings';

const sel = { app: 'web' };

describe('validateMappings', () => {
  it('accepts ordinary mappings without warnings', () => {
    expect(validateMappings([{ labelSelector: sel, portMappings: [{ localPort: 3000, remotePort: 8080 }, { localPort: 9229, remotePort: 9229, bindAddress: '0.0.0.0' }] }])).toEqual({ errors: [], warnings: [] });
  });

  it('names ports outside 1–65535 and bad bind addresses', () => {
    const { errors } = validateMappings([{ labelSelector: sel, portMappings: [{ localPort: 0, remotePort: 70000 }, { localPort: 3001, remotePort: 1, bindAddress: 'my laptop' }] }]);
    expect(errors).toEqual([
      'Forwarding 1, mapping 1: local port 0 is not a port number from 1 to 65535.',
      'Forwarding 1, mapping 1: remote port 70000 is not a port number from 1 to 65535.',
      expect.stringContaining('"my laptop" is not an IP address'),
    ]);
  });

  it('finds duplicate local ports across forwardings, counting 0.0.0.0 as every address, but not disabled ones', () => {
    const dup = validateMappings([
      { labelSelector: sel, portMappings: [{ localPort: 3000, remotePort: 1 }] },
      { labelSelector: { app: 'api' }, portMappings: [{ localPort: 3000, remotePort: 2, bindAddress: '0.0.0.0' }] },
    ]);
    expect(dup.errors).toEqual(['Forwarding 2, mapping 1: local port 3000 is already used by forwarding 1, mapping 1.']);
    const disabled = validateMappings([{ labelSelector: sel, portMappings: [{ localPort: 3000, remotePort: 1 }, { localPort: 3000, remotePort: 2, enabled: false }] }]);
    expect(disabled.errors).toEqual([]);
    const otherAddress = validateMappings([{ labelSelector: sel, portMappings: [{ localPort: 3000, remotePort: 1 }, { localPort: 3000, remotePort: 2, bindAddress: '127.0.0.2' }] }]);
    expect(otherAddress.errors).toEqual([]);
  });

  it('warns about privileged local ports without refusing them', () => {
    const r = validateMappings([{ labelSelector: sel, portMappings: [{ localPort: 80, remotePort: 8080 }] }]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^Local port 80 is privileged/)]);
  });

  it('needs a label selector', () => {
    expect(validateMappings([{ labelSelector: {}, portMappings: [] }]).errors).toEqual([expect.stringContaining('add a label selector')]);
  });
});
