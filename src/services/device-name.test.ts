import { describe, expect, it } from 'vitest';
import { deviceName } from './device-name.js';

describe('deviceName', () => {
  it('does not write the vendor twice when the product repeats it', () => {
    expect(deviceName({ vendor: 'BusyBox', product: 'BusyBox telnetd' })).toBe('BusyBox telnetd');
    expect(deviceName({ vendor: 'BusyBox', product: 'BusyBox', version: '1.19.4' })).toBe('BusyBox 1.19.4');
    expect(deviceName({ vendor: 'busybox', product: 'BusyBox telnetd', version: '1.19.4' })).toBe('BusyBox telnetd 1.19.4');
    expect(deviceName({ vendor: 'Hikvision', product: 'Hikvision IP Camera' })).toBe('Hikvision IP Camera');
    expect(deviceName({ vendor: 'vsftpd', product: 'vsftpd', version: '2.3.4' })).toBe('vsftpd 2.3.4');
    // The product repeated in the vendor.
    expect(deviceName({ vendor: 'ProFTPD Project', product: 'ProFTPD', version: '1.3.5' })).toBe('ProFTPD 1.3.5');
  });

  it('joins vendor, product and version otherwise', () => {
    expect(deviceName({ vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4' })).toBe('OpenBSD OpenSSH 7.4');
    expect(deviceName({ vendor: 'MikroTik', product: 'RouterOS' })).toBe('MikroTik RouterOS');
    expect(deviceName({ vendor: 'Apache', product: 'HTTP Server', version: '2.4.49' })).toBe('Apache HTTP Server 2.4.49');
    expect(deviceName({ product: 'OpenSSH', version: '9.2p1' })).toBe('OpenSSH 9.2p1');
    expect(deviceName({ vendor: 'I-O DATA', product: '' })).toBe('I-O DATA');
    // Only whole words count: "Redis" does not name "Redistore".
    expect(deviceName({ vendor: 'Redis', product: 'Redistore' })).toBe('Redis Redistore');
  });

  it('does not repeat a version the product already ends with, and names nothing from a version alone', () => {
    expect(deviceName({ vendor: 'BusyBox', product: 'BusyBox 1.19.4', version: '1.19.4' })).toBe('BusyBox 1.19.4');
    expect(deviceName({ product: 'Boa 0.94', version: '0.94.14rc21' })).toBe('Boa 0.94 0.94.14rc21');
    expect(deviceName({ version: '1.0' })).toBe('');
    expect(deviceName({ vendor: ' ', product: '', version: '' })).toBe('');
  });
});
