import { CreateVpcCommand, DeleteVpcCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand, ModifyVpcAttributeCommand, type Vpc } from '../sdk/ec2.ts';
import { ProviderError } from '../../../core/errors.ts';
import type { JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { exactOwner, ownerFilters, requiredString, syncTags, tagSpecification, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { splitOwnership, tagsToRecord } from '../tags.ts';

const KIND = 'aws:ec2:vpc';

/** JSON Schema of `aws:ec2:vpc` properties. */
export const EC2_VPC_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A VPC. Changing cidr_block replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['cidr_block'],
  properties: {
    cidr_block: { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$', description: 'IPv4 CIDR, e.g. 10.0.0.0/16 (forces replacement)' },
    enable_dns_support: { type: 'boolean', default: true, description: 'Amazon DNS resolution in the VPC' },
    enable_dns_hostnames: { type: 'boolean', default: false, description: 'Public DNS hostnames for instances' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** `aws:ec2:vpc`: found by its ownership tags (VPCs have no natural name). */
export function createEc2VpcKind(clients: () => AwsClients): AwsKindHandler {
  const toLive = async (vpc: Vpc): Promise<LiveState> => {
    const ec2 = clients().ec2();
    const id = vpc.VpcId ?? '';
    const support = await awsCall(`read DNS support of ${id}`, () => ec2.send(new DescribeVpcAttributeCommand({ VpcId: id, Attribute: 'enableDnsSupport' })));
    const hostnames = await awsCall(`read DNS hostnames of ${id}`, () => ec2.send(new DescribeVpcAttributeCommand({ VpcId: id, Attribute: 'enableDnsHostnames' })));
    const { user, owner } = splitOwnership(tagsToRecord(vpc.Tags));
    const cidr = vpc.CidrBlock ?? '';
    const properties: Record<string, JsonValue> = {
      cidr_block: cidr,
      enable_dns_support: support.EnableDnsSupport?.Value ?? false,
      enable_dns_hostnames: hostnames.EnableDnsHostnames?.Value ?? false,
      tags: user,
    };
    return {
      identity: id,
      properties,
      attributes: { id, arn: `arn:aws:ec2:${clients().region}:${vpc.OwnerId ?? ''}:vpc/${id}`, cidr_block: cidr },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const describe = async (query: { readonly stack?: string | undefined; readonly address?: string; readonly id?: string }, ctx?: ProviderContext): Promise<Vpc | undefined> => {
    try {
      const input = query.id === undefined ? { Filters: ownerFilters(query.stack, query.address ?? '') } : { VpcIds: [query.id] };
      const out = await clients().ec2().send(new DescribeVpcsCommand(input), ctx === undefined ? {} : { abortSignal: ctx.signal });
      return query.id === undefined ? exactOwner(out.Vpcs, query.address ?? '') : out.Vpcs?.[0];
    } catch (error) {
      if (isAwsError(error, 'InvalidVpcID.NotFound')) return undefined;
      throw translateAwsError(error, { action: 'describe VPCs' });
    }
  };

  const setDns = async (id: string, desired: DesiredResource): Promise<void> => {
    const ec2 = clients().ec2();
    await awsCall(`set DNS support of ${id}`, () => ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsSupport: { Value: desired.properties['enable_dns_support'] !== false } })));
    await awsCall(`set DNS hostnames of ${id}`, () => ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: desired.properties['enable_dns_hostnames'] === true } })));
  };

  return {
    kind: KIND,
    description: 'A VPC with DNS settings and tags',
    schema: EC2_VPC_SCHEMA,
    forceReplace: ['cidr_block'],
    attributes: ['id', 'arn', 'cidr_block'],
    marksOwnership: true,

    async read(desired, ctx) {
      const vpc = await describe({ stack: desired.stack, address: desired.address }, ctx);
      return vpc === undefined ? undefined : toLive(vpc);
    },

    plannedAttributes: (desired) => ({ cidr_block: desired.properties['cidr_block'] ?? null }),

    async create(desired, ctx) {
      const ec2 = clients().ec2();
      const created = await awsCall(`create VPC ${desired.address}`, () =>
        ec2.send(new CreateVpcCommand({ CidrBlock: requiredString(desired.properties, 'cidr_block'), TagSpecifications: tagSpecification('vpc', userTagsOf(desired.properties), ctx.stack, desired.address) }), { abortSignal: ctx.signal }),
      );
      const id = created.Vpc?.VpcId;
      if (id === undefined) throw new ProviderError('RS_AWS_E0006', `Cannot create VPC ${desired.address}: AWS returned no VPC id`);
      await setDns(id, desired);
      const readVpc = async (): Promise<LiveState | undefined> => {
        const vpc = await describe({ id }, ctx);
        return vpc === undefined ? undefined : toLive(vpc);
      };
      const live = await readAfterWrite(readVpc, `VPC ${id}`, ctx);
      return live ?? toLive(created.Vpc ?? {});
    },

    async update(desired, live, _diff, ctx) {
      await setDns(live.identity, desired);
      await syncTags(clients().ec2(), live.identity, userTagsOf(desired.properties), (live.properties['tags'] ?? {}) as Record<string, string>, { stack: ctx.stack, address: desired.address });
      const vpc = await describe({ id: live.identity }, ctx);
      if (vpc === undefined) throw new ProviderError('RS_AWS_E0006', `VPC ${live.identity} vanished during the update`, { retryable: true });
      return toLive(vpc);
    },

    async delete(live, ctx) {
      try {
        await clients().ec2().send(new DeleteVpcCommand({ VpcId: live.identity }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'InvalidVpcID.NotFound')) return;
        // Subnets or gateways another tool added keep it alive; AWS says so in DependencyViolation.
        throw translateAwsError(error, { action: `delete VPC ${live.identity}` });
      }
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:vpc\/(vpc-[0-9a-f]+)$/.exec(arn)?.[1],
    async readIdentity(identity, ctx) {
      const vpc = await describe({ id: identity }, ctx);
      return vpc === undefined ? undefined : toLive(vpc);
    },
  };
}
