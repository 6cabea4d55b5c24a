import { CreateSubnetCommand, DeleteSubnetCommand, DescribeSubnetsCommand, ModifySubnetAttributeCommand, type Subnet } from '../sdk/ec2.ts';
import { ProviderError } from '../../../core/errors.ts';
import type { JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import type { AwsClients } from '../clients.ts';
import { exactOwner, ownerFilters, requiredString, syncTags, tagSpecification, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { splitOwnership, tagsToRecord } from '../tags.ts';

const KIND = 'aws:ec2:subnet';

/** JSON Schema of `aws:ec2:subnet` properties. */
export const EC2_SUBNET_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A subnet of a VPC. Changing vpc_id, cidr_block or availability_zone replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['vpc_id', 'cidr_block'],
  properties: {
    vpc_id: { type: 'string', description: 'The VPC, usually ${res.<vpc>.id} (forces replacement)' },
    cidr_block: { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$', description: 'IPv4 CIDR inside the VPC (forces replacement)' },
    availability_zone: { type: 'string', description: 'e.g. us-east-1a; default: AWS picks (forces replacement)' },
    map_public_ip_on_launch: { type: 'boolean', default: false, description: 'Give instances launched here a public IP' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** `aws:ec2:subnet`: found by its ownership tags. */
export function createEc2SubnetKind(clients: () => AwsClients): AwsKindHandler {
  const toLive = (subnet: Subnet, managesZone: boolean): LiveState => {
    const id = subnet.SubnetId ?? '';
    const { user, owner } = splitOwnership(tagsToRecord(subnet.Tags));
    const properties: Record<string, JsonValue> = {
      vpc_id: subnet.VpcId ?? '',
      cidr_block: subnet.CidrBlock ?? '',
      map_public_ip_on_launch: subnet.MapPublicIpOnLaunch ?? false,
      tags: user,
      ...(managesZone ? { availability_zone: subnet.AvailabilityZone ?? '' } : {}),
    };
    return {
      identity: id,
      properties,
      attributes: {
        id,
        arn: subnet.SubnetArn ?? `arn:aws:ec2:${clients().region}:${subnet.OwnerId ?? ''}:subnet/${id}`,
        vpc_id: subnet.VpcId ?? '',
        cidr_block: subnet.CidrBlock ?? '',
        availability_zone: subnet.AvailabilityZone ?? '',
      },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const describe = async (query: { readonly stack?: string | undefined; readonly address?: string; readonly id?: string }, ctx?: ProviderContext): Promise<Subnet | undefined> => {
    try {
      const input = query.id === undefined ? { Filters: ownerFilters(query.stack, query.address ?? '') } : { SubnetIds: [query.id] };
      const out = await clients().ec2().send(new DescribeSubnetsCommand(input), ctx === undefined ? {} : { abortSignal: ctx.signal });
      return query.id === undefined ? exactOwner(out.Subnets, query.address ?? '') : out.Subnets?.[0];
    } catch (error) {
      if (isAwsError(error, 'InvalidSubnetID.NotFound')) return undefined;
      throw translateAwsError(error, { action: 'describe subnets' });
    }
  };

  const setPublicIp = async (id: string, desired: DesiredResource): Promise<void> => {
    await awsCall(`set map_public_ip_on_launch of ${id}`, () =>
      clients().ec2().send(new ModifySubnetAttributeCommand({ SubnetId: id, MapPublicIpOnLaunch: { Value: desired.properties['map_public_ip_on_launch'] === true } })),
    );
  };

  return {
    kind: KIND,
    description: 'A subnet of a VPC',
    schema: EC2_SUBNET_SCHEMA,
    forceReplace: ['vpc_id', 'cidr_block', 'availability_zone'],
    attributes: ['id', 'arn', 'vpc_id', 'cidr_block', 'availability_zone'],
    marksOwnership: true,

    async read(desired, ctx) {
      const subnet = await describe({ stack: desired.stack, address: desired.address }, ctx);
      return subnet === undefined ? undefined : toLive(subnet, desired.properties['availability_zone'] !== undefined);
    },

    plannedAttributes: (desired) => ({ cidr_block: desired.properties['cidr_block'] ?? null, vpc_id: desired.properties['vpc_id'] ?? null }),

    async create(desired, ctx) {
      const zone = desired.properties['availability_zone'];
      const created = await awsCall(`create subnet ${desired.address}`, () =>
        clients()
          .ec2()
          .send(
            new CreateSubnetCommand({
              VpcId: requiredString(desired.properties, 'vpc_id'),
              CidrBlock: requiredString(desired.properties, 'cidr_block'),
              ...(typeof zone === 'string' ? { AvailabilityZone: zone } : {}),
              TagSpecifications: tagSpecification('subnet', userTagsOf(desired.properties), ctx.stack, desired.address),
            }),
            { abortSignal: ctx.signal },
          ),
      );
      const id = created.Subnet?.SubnetId;
      if (id === undefined) throw new ProviderError('RS_AWS_E0006', `Cannot create subnet ${desired.address}: AWS returned no subnet id`);
      if (desired.properties['map_public_ip_on_launch'] === true) await setPublicIp(id, desired);
      return toLive((await describe({ id }, ctx)) ?? created.Subnet ?? {}, typeof zone === 'string');
    },

    async update(desired, live, _diff, ctx) {
      await setPublicIp(live.identity, desired);
      await syncTags(clients().ec2(), live.identity, userTagsOf(desired.properties), (live.properties['tags'] ?? {}) as Record<string, string>, { stack: ctx.stack, address: desired.address });
      const subnet = await describe({ id: live.identity }, ctx);
      if (subnet === undefined) throw new ProviderError('RS_AWS_E0006', `Subnet ${live.identity} vanished during the update`, { retryable: true });
      return toLive(subnet, desired.properties['availability_zone'] !== undefined);
    },

    async delete(live, ctx) {
      try {
        await clients().ec2().send(new DeleteSubnetCommand({ SubnetId: live.identity }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'InvalidSubnetID.NotFound')) return;
        throw translateAwsError(error, { action: `delete subnet ${live.identity}` });
      }
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:subnet\/(subnet-[0-9a-f]+)$/.exec(arn)?.[1],
    async readIdentity(identity, ctx) {
      const subnet = await describe({ id: identity }, ctx);
      return subnet === undefined ? undefined : toLive(subnet, false);
    },
  };
}
