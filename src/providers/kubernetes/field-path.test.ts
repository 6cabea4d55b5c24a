import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldPointer } from './field-path.ts';

describe('fieldPointer()', () => {
  it('maps dotted paths with list indexes to JSON pointers', () => {
    assert.equal(fieldPointer('spec.template.spec.containers[0].ports[0].containerPort'), '/spec/template/spec/containers/0/ports/0/containerPort');
    assert.equal(fieldPointer('spec.ports[1].port'), '/spec/ports/1/port');
  });

  it('keeps map keys in brackets whole, escaping slashes', () => {
    assert.equal(fieldPointer('metadata.labels[app.kubernetes.io/name]'), '/metadata/labels/app.kubernetes.io~1name');
  });

  it('reads the leading dot of apply conflicts', () => {
    assert.equal(fieldPointer('.spec.replicas'), '/spec/replicas');
  });

  it('refuses what is not a path', () => {
    assert.equal(fieldPointer(''), undefined);
    assert.equal(fieldPointer('<nil>'), undefined);
    assert.equal(fieldPointer('spec.ports[0'), undefined);
  });
});
