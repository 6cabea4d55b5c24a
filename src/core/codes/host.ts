import type { CodeTable } from './code.ts';

/** Codes owned by the host area (the host provider and the transports). Append only; never renumber. */
export const HOST_CODES = {
  RS_HOST_E0001: {
    title: 'File system operation failed on the host',
    hint: 'Check that the path exists, has the expected type and that its parent is writable',
  },
  RS_HOST_E0002: {
    title: 'Permission denied on the host',
    hint: 'Run Runestone as a user allowed to change the path, or pick a path that user owns',
  },
  RS_HOST_E0003: {
    title: 'Host resource busy or temporarily unavailable',
    hint: 'Retried automatically; if it persists, find the process holding the path',
  },
  RS_HOST_E0004: {
    title: 'Refusing to delete an unsafe path',
    hint: 'Give the resource a real path; Runestone never deletes an empty path or "/"',
  },
  RS_HOST_E0005: {
    title: 'Path exists with a different type',
    hint: 'Move the existing entry away, or set "force: true" where the kind supports it',
  },
  RS_HOST_E0006: {
    title: 'Cannot read the source file',
    hint: 'Relative "source" paths resolve from the directory of the config file; check the path',
  },
  RS_HOST_E0007: {
    title: 'Template error',
    hint: 'Fix the template at the reported line and column, or define the missing variable in "vars"',
  },
  RS_HOST_E0008: {
    title: 'Command exited with a non-zero status',
    hint: 'Read the command output above; fix the command or its guard',
  },
  RS_HOST_E0009: {
    title: 'Command timed out',
    hint: 'Raise "timeout" or make the command finish sooner',
  },
  RS_HOST_E0010: {
    title: 'Command could not be started',
    hint: 'Check that the program exists on the PATH and "cwd" is a directory',
  },
  RS_HOST_E0011: {
    title: 'Invalid host resource properties',
    hint: 'Set exactly one of the alternatives the kind documents (for example "content" or "source")',
  },
  RS_HOST_E0012: {
    title: 'Host operation aborted',
  },
  RS_HOST_E0013: {
    title: 'Directory is not empty',
    hint: 'Delete its contents first: resources inside it should depend on it so they are removed before it',
  },
  // SSH transport and inventory codes start at E0030, leaving E0014-E0029 to the host
  // steps work landing in parallel (never renumber once merged).
  RS_HOST_E0030: {
    title: 'Cannot connect to the SSH host',
    hint: 'Check the address and port in the inventory, that sshd runs there and that no firewall blocks it',
  },
  RS_HOST_E0031: {
    title: 'SSH host key is not in known_hosts',
    hint: 'Add the key with `ssh-keyscan -p PORT ADDRESS >> known_hosts` after checking its fingerprint, or set "trust_on_first_use: true" under "ssh" in the inventory',
  },
  RS_HOST_E0032: {
    title: 'SSH host key does not match known_hosts',
    hint: 'Someone may be impersonating the host; if the host was reinstalled, remove its old line from known_hosts (`ssh-keygen -R`) and add the new key',
  },
  RS_HOST_E0033: {
    title: 'SSH authentication failed',
    hint: 'Check "user" and "key" in the inventory, or that the SSH agent (SSH_AUTH_SOCK) holds a key the host accepts',
  },
  RS_HOST_E0034: {
    title: 'SSH connection lost or channel refused',
    hint: 'Retried automatically; if it persists, check the host\'s sshd logs and its MaxSessions setting',
  },
  RS_HOST_E0035: {
    title: 'No SSH credentials',
    hint: 'Set "key" for the host in the inventory, or start an SSH agent and set SSH_AUTH_SOCK',
  },
  RS_HOST_E0036: {
    title: 'Invalid inventory',
    hint: 'Fix the inventory at the reported location; see docs/providers/host.md for its shape',
  },
  RS_HOST_E0037: {
    title: 'Unknown target host',
    hint: 'Name a host, "group:NAME" or "LABEL=VALUE" from the inventory, or "local"',
  },
  RS_HOST_E0038: {
    title: 'Assertion failed',
    hint: 'The message says what was expected and what was found; fix the host, or the assertion if it is wrong',
  },
  RS_HOST_E0039: {
    title: 'Download failed',
    hint: 'Check the URL, the network and the headers; raise retries or timeout for a slow or flaky server',
  },
  RS_HOST_E0040: {
    title: 'Downloaded file has the wrong checksum',
    hint: 'Check the URL and the sha256; nothing was written',
  },
  RS_HOST_E0041: {
    title: 'Cannot extract archive',
    hint: 'Check that the archive exists on the host, is a valid .tar, .tar.gz or .tgz, and that tar is installed there',
  },
  RS_HOST_E0042: {
    title: 'Archive entry would escape the destination',
    hint: 'The archive has an absolute entry, a ".." segment or a link pointing outside; nothing was extracted. Repack it',
  },
} as const satisfies CodeTable;
