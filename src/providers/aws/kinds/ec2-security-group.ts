import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroup,
} from '../sdk/ec2.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import type { AwsClients } from '../clients.ts';
import { exactOwner, ownerFilters, requiredString, syncTags, tagSpecification, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { defaultName } from '../names.ts';
import { splitOwnership, tagsToRecord } from '../tags.ts';

const KIND = 'aws:ec2:security-group';

const RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['protocol', 'cidr_blocks'],
  properties: {
    protocol: { type: 'string', description: 'tcp, udp, icmp or -1 (all)' },
    from_port: { type: 'integer', minimum: -1, maximum: 65535, default: 0 },
    to_port: { type: 'integer', minimum: -1, maximum: 65535, default: 0 },
    cidr_blocks: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
} as const;

/** JSON Schema of `aws:ec2:security-group` properties. */
export const EC2_SECURITY_GROUP_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A security group with ingress and egress rules. Changing name, description or vpc_id replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['vpc_id'],
  properties: {
    name: { type: 'string', description: 'Group name (forces replacement); default <project>-<environment>-<resource name>' },
    description: { type: 'string', default: 'Managed by Runestone', description: 'Forces replacement (AWS cannot change it)' },
    vpc_id: { type: 'string', description: 'The VPC, usually ${res.<vpc>.id} (forces replacement)' },
    ingress: { type: 'array', items: RULE, default: [], description: 'Inbound rules; others found live are drift and revoked' },
    egress: { type: 'array', items: RULE, description: 'Outbound rules; when absent, AWS default egress is left alone' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

type Rule = { protocol: string; from_port: number; to_port: number; cidr_blocks: string[] };

/** `aws:ec2:security-group`: found by its ownership tags. */
export function createEc2SecurityGroupKind(clients: () => AwsClients): AwsKindHandler {
  const nameOf = (desired: DesiredResource): string => (typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 255 }));

  const toLive = (group: SecurityGroup, managed: Readonly<Record<string, unknown>>): LiveState => {
    const id = group.GroupId ?? '';
    const { user, owner } = splitOwnership(tagsToRecord(group.Tags));
    const properties: Record<string, JsonValue> = {
      name: group.GroupName ?? '',
      description: group.Description ?? '',
      vpc_id: group.VpcId ?? '',
      ingress: inDesiredOrder(rulesOf(group.IpPermissions), managed['ingress']),
      tags: user,
    };
    if (managed['egress'] !== undefined) properties['egress'] = inDesiredOrder(rulesOf(group.IpPermissionsEgress), managed['egress']);
    return {
      identity: id,
      properties,
      attributes: { id, arn: group.SecurityGroupArn ?? `arn:aws:ec2:${clients().region}:${group.OwnerId ?? ''}:security-group/${id}`, name: group.GroupName ?? '' },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const describe = async (query: { readonly stack?: string | undefined; readonly address?: string; readonly id?: string }, ctx?: ProviderContext): Promise<SecurityGroup | undefined> => {
    try {
      const input = query.id === undefined ? { Filters: ownerFilters(query.stack, query.address ?? '') } : { GroupIds: [query.id] };
      const out = await clients().ec2().send(new DescribeSecurityGroupsCommand(input), ctx === undefined ? {} : { abortSignal: ctx.signal });
      return query.id === undefined ? exactOwner(out.SecurityGroups, query.address ?? '') : out.SecurityGroups?.[0];
    } catch (error) {
      if (isAwsError(error, 'InvalidGroup.NotFound', 'InvalidGroupId.NotFound')) return undefined;
      throw translateAwsError(error, { action: 'describe security groups' });
    }
  };

  const syncRules = async (id: string, desired: DesiredResource, live: LiveState | undefined): Promise<void> => {
    const ec2 = clients().ec2();
    for (const direction of ['ingress', 'egress'] as const) {
      const wanted = desired.properties[direction];
      if (wanted === undefined) continue;
      const want = normalize(wanted);
      const have = live === undefined ? (direction === 'egress' ? defaultEgress() : []) : normalize(live.properties[direction] ?? []);
      const missing = want.filter((rule) => !have.some((h) => jsonEqual(h, rule)));
      const extra = have.filter((rule) => !want.some((w) => jsonEqual(w, rule)));
      if (extra.length > 0) {
        const input = { GroupId: id, IpPermissions: extra.map(toPermission) };
        await awsCall(`revoke ${direction} rules of ${id}`, async () => {
          if (direction === 'ingress') await ec2.send(new RevokeSecurityGroupIngressCommand(input));
          else await ec2.send(new RevokeSecurityGroupEgressCommand(input));
        });
      }
      if (missing.length > 0) {
        const input = { GroupId: id, IpPermissions: missing.map(toPermission) };
        await awsCall(`authorize ${direction} rules of ${id}`, async () => {
          if (direction === 'ingress') await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
          else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
        });
      }
    }
  };

  return {
    kind: KIND,
    description: 'A security group with ingress and egress rules',
    schema: EC2_SECURITY_GROUP_SCHEMA,
    forceReplace: ['name', 'description', 'vpc_id'],
    attributes: ['id', 'arn', 'name'],
    marksOwnership: true,

    async read(desired, ctx) {
      const group = await describe({ stack: desired.stack, address: desired.address }, ctx);
      return group === undefined ? undefined : toLive(group, desired.properties);
    },
    plannedAttributes: (desired) => ({ name: nameOf(desired) }),

    async create(desired, ctx) {
      const created = await awsCall(`create security group ${desired.address}`, () =>
        clients()
          .ec2()
          .send(
            new CreateSecurityGroupCommand({
              GroupName: nameOf(desired),
              Description: requiredString(desired.properties, 'description') || 'Managed by Runestone',
              VpcId: requiredString(desired.properties, 'vpc_id'),
              TagSpecifications: tagSpecification('security-group', userTagsOf(desired.properties), ctx.stack, desired.address),
            }),
            { abortSignal: ctx.signal },
          ),
      );
      const id = created.GroupId;
      if (id === undefined) throw new ProviderError('RS_AWS_E0006', `Cannot create security group ${desired.address}: AWS returned no group id`);
      await syncRules(id, desired, undefined);
      const group = await describe({ id }, ctx);
      if (group === undefined) throw new ProviderError('RS_AWS_E0006', `Security group ${id} vanished right after it was created`, { retryable: true });
      return toLive(group, desired.properties);
    },

    async update(desired, live, _diff, ctx) {
      await syncRules(live.identity, desired, live);
      await syncTags(clients().ec2(), live.identity, userTagsOf(desired.properties), (live.properties['tags'] ?? {}) as Record<string, string>, { stack: ctx.stack, address: desired.address });
      const group = await describe({ id: live.identity }, ctx);
      if (group === undefined) throw new ProviderError('RS_AWS_E0006', `Security group ${live.identity} vanished during the update`, { retryable: true });
      return toLive(group, desired.properties);
    },

    async delete(live, ctx) {
      try {
        await clients().ec2().send(new DeleteSecurityGroupCommand({ GroupId: live.identity }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'InvalidGroup.NotFound', 'InvalidGroupId.NotFound')) return;
        throw translateAwsError(error, { action: `delete security group ${live.identity}` });
      }
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:security-group\/(sg-[0-9a-f]+)$/.exec(arn)?.[1],
    async readIdentity(identity, ctx) {
      const group = await describe({ id: identity }, ctx);
      return group === undefined ? undefined : toLive(group, {});
    },
  };
}

// One rule per (protocol, ports), CIDRs sorted, so equal rule sets compare equal.
function rulesOf(permissions: readonly IpPermission[] | undefined): Rule[] {
  return (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? '-1',
    from_port: p.FromPort ?? 0,
    to_port: p.ToPort ?? 0,
    cidr_blocks: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').sort(),
  }));
}

function normalize(value: unknown): Rule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).map((rule) => ({
    protocol: typeof rule['protocol'] === 'string' ? rule['protocol'] : '-1',
    from_port: typeof rule['from_port'] === 'number' ? rule['from_port'] : 0,
    to_port: typeof rule['to_port'] === 'number' ? rule['to_port'] : 0,
    cidr_blocks: Array.isArray(rule['cidr_blocks']) ? (rule['cidr_blocks'] as string[]).slice().sort() : [],
  }));
}

// Live rules in the config's order when they are the same set, so order is never drift.
function inDesiredOrder(live: Rule[], desired: unknown): JsonValue {
  const want = normalize(desired);
  const sameSet = want.length === live.length && want.every((w) => live.some((l) => jsonEqual(l, w)));
  const rules = sameSet ? want : live;
  return rules.map((rule): JsonObject => ({ ...rule }));
}

function defaultEgress(): Rule[] {
  return [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }];
}

function toPermission(rule: Rule): IpPermission {
  return {
    IpProtocol: rule.protocol,
    ...(rule.protocol === '-1' ? {} : { FromPort: rule.from_port, ToPort: rule.to_port }),
    IpRanges: rule.cidr_blocks.map((cidr) => ({ CidrIp: cidr })),
  };
}
