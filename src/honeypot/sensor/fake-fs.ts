/**
 * The read-only file system the sensor's shell shows: what a small BusyBox router (ARMv7, Linux
 * 3.x, squashfs root) has where bots look. Bots read /proc/mounts for a writable directory,
 * /proc/cpuinfo and the ELF header of /bin/echo for the architecture to push; nothing here is
 * real and nothing is ever read from the host.
 */

/** An ELF header of a 32-bit little-endian ARM executable (what the Mirai loader reads from /bin/echo to pick a binary). */
const ARM_ELF_HEADER = Buffer.from([
  0x7f, 0x45, 0x4c, 0x46, 0x01, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
  0x02, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x00, 0x54, 0x80, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00,
]).toString('latin1');

const FILES: Readonly<Record<string, string>> = {
  '/proc/mounts': [
    'rootfs / rootfs rw 0 0',
    '/dev/root / squashfs ro,relatime 0 0',
    'proc /proc proc rw,relatime 0 0',
    'sysfs /sys sysfs rw,relatime 0 0',
    'tmpfs /tmp tmpfs rw,relatime 0 0',
    'tmpfs /var tmpfs rw,relatime 0 0',
    'tmpfs /dev tmpfs rw,relatime 0 0',
    'devpts /dev/pts devpts rw,relatime,mode=600 0 0',
    '/dev/mtdblock5 /mnt jffs2 rw,relatime 0 0',
    '',
  ].join('\n'),
  '/proc/cpuinfo': [
    'processor\t: 0',
    'model name\t: ARMv7 Processor rev 1 (v7l)',
    'BogoMIPS\t: 1594.16',
    'Features\t: half thumb fastmult edsp tls',
    'CPU implementer\t: 0x41',
    'CPU architecture: 7',
    'CPU variant\t: 0x4',
    'CPU part\t: 0xc09',
    'CPU revision\t: 1',
    '',
    'Hardware\t: Hisilicon Hi3520D',
    'Revision\t: 0000',
    'Serial\t\t: 0000000000000000',
    '',
  ].join('\n'),
  '/proc/version': 'Linux version 3.0.8 (root@localhost) (gcc version 4.4.1) #1 Fri Nov 8 17:32:43 CST 2013\n',
  '/proc/meminfo': 'MemTotal:          61384 kB\nMemFree:           12752 kB\nBuffers:            1544 kB\nCached:            18620 kB\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nadmin:x:0:0:admin:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  '/etc/hostname': 'router\n',
  '/etc/hosts': '127.0.0.1\tlocalhost\n',
  '/etc/resolv.conf': 'nameserver 192.168.1.1\n',
  '/etc/inittab': '::sysinit:/etc/init.d/rcS\n::respawn:-/bin/sh\n',
  '/bin/busybox': ARM_ELF_HEADER,
  '/bin/echo': ARM_ELF_HEADER,
  '/bin/sh': ARM_ELF_HEADER,
};

const DIRS: Readonly<Record<string, readonly string[]>> = {
  '/': ['bin', 'dev', 'etc', 'home', 'lib', 'mnt', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'var'],
  '/bin': ['busybox', 'cat', 'chmod', 'cp', 'echo', 'ls', 'mkdir', 'mount', 'ps', 'rm', 'sh', 'wget'],
  '/sbin': ['ifconfig', 'init', 'reboot', 'route'],
  '/etc': ['hostname', 'hosts', 'inittab', 'passwd', 'resolv.conf', 'init.d'],
  '/etc/init.d': ['rcS'],
  '/dev': ['console', 'mtdblock0', 'mtdblock5', 'null', 'pts', 'shm', 'watchdog', 'zero'],
  '/dev/shm': [],
  '/dev/pts': [],
  '/proc': ['cpuinfo', 'meminfo', 'mounts', 'version', 'net', 'self'],
  '/home': [],
  '/lib': ['libc.so.0', 'ld-uClibc.so.0'],
  '/mnt': [],
  '/root': [],
  '/sys': [],
  '/tmp': [],
  '/usr': ['bin', 'sbin'],
  '/usr/bin': [],
  '/usr/sbin': [],
  '/var': ['run', 'tmp'],
  '/var/run': [],
  '/var/tmp': [],
};

/** Directories where a pushed file may be written (tmpfs and jffs2 in /proc/mounts); the rest is a read-only squashfs. */
const WRITABLE = ['/tmp', '/var', '/dev', '/mnt', '/root'];

export function systemFile(path: string): string | undefined {
  return FILES[path];
}

export function systemDir(path: string): readonly string[] | undefined {
  return DIRS[path];
}

export function isWritable(path: string): boolean {
  return WRITABLE.some((d) => path === d || path.startsWith(`${d}/`));
}

/** Joins `path` onto `cwd` and resolves `.` and `..`, as the shell would; never leaves `/`. */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}
