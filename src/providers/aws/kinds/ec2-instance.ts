import { createHash } from 'node:crypto';
import {
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  type Instance,
  type _InstanceType,
} from '../sdk/ec2.ts';
import { ProviderError } from '../../../core/errors.ts';
import { jsonEqual, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import type { AwsClients } from '../clients.ts';
import { exactOwner, ownerFilters, requiredString, syncTags, tagSpecification, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { splitOwnership, tagsToRecord } from '../tags.ts';

const KIND = 'aws:ec2:instance';

/** Instance states that still count as the resource; terminated ones are gone. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** How long to wait for an instance to reach a state (seconds). */
const MAX_WAIT_SECONDS = 600;

/** JSON Schema of `aws:ec2:instance` properties. */
export const EC2_INSTANCE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'An EC2 instance. Changing ami or subnet_id replaces it; changing instance_type stops, modifies and restarts it.',
  type: 'object',
  additionalProperties: false,
  required: ['instance_type', 'ami'],
  properties: {
    instance_type: { type: 'string', pattern: '^[a-z0-9-]+\\.[a-z0-9-]+$', description: 'e.g. t3.micro; a change stops, modifies and starts the instance' },
    ami: { type: 'string', pattern: '^ami-[0-9a-f]+$', description: 'Image id (forces replacement)' },
    subnet_id: { type: 'string', description: 'The subnet, usually ${res.<subnet>.id} (forces replacement); default: a default subnet of the default VPC, not managed' },
    security_group_ids: {
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
      description: 'Security groups (compared as a set); default: the VPC default group, not managed',
    },
    state: { enum: ['running', 'stopped'], default: 'running', description: 'Whether it runs; stopped out of band is drift and align starts it' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/**
 * The idempotency token RunInstances gets for a resource: the same for every run of the
 * same stack, address and launch parameters, so a retried or concurrent commit never
 * launches a second instance (AWS returns the first). `previous` is the id of an instance
 * an earlier token already launched and that has since terminated (AWS keeps answering a
 * token with its terminated instance), so a re-creation gets a fresh token.
 */
export function instanceClientToken(stack: string, address: string, launch: Readonly<Record<string, JsonValue>>, previous?: string): string {
  const parts = [stack, address, JSON.stringify(launch), ...(previous === undefined ? [] : [previous])];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 64);
}

/** `aws:ec2:instance`: found by its ownership tags (instances have no natural name). */
export function createEc2InstanceKind(clients: () => AwsClients): AwsKindHandler {
  const toLive = (instance: Instance, desiredGroups?: readonly JsonValue[]): LiveState => {
    const id = instance.InstanceId ?? '';
    const { user, owner } = splitOwnership(tagsToRecord(instance.Tags));
    const groups = (instance.SecurityGroups ?? []).map((g) => g.GroupId ?? '').sort();
    const state = instance.State?.Name ?? 'unknown';
    const properties: Record<string, JsonValue> = {
      instance_type: instance.InstanceType ?? '',
      ami: instance.ImageId ?? '',
      subnet_id: instance.SubnetId ?? '',
      // Sets: shown in the config's order when they hold the same ids, so order is not drift.
      security_group_ids: desiredGroups !== undefined && jsonEqual([...desiredGroups].map(String).sort(), groups) ? [...desiredGroups] : groups,
      // A pending instance is on its way to running; stopping to stopped.
      state: state === 'pending' ? 'running' : state === 'stopping' ? 'stopped' : state,
      tags: user,
    };
    return {
      identity: id,
      properties,
      attributes: {
        id,
        arn: `arn:aws:ec2:${clients().region}:${instance.NetworkInterfaces?.[0]?.OwnerId ?? ''}:instance/${id}`,
        private_ip: instance.PrivateIpAddress ?? null,
        public_ip: instance.PublicIpAddress ?? null,
        state,
      },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const describe = async (query: { readonly stack?: string | undefined; readonly address?: string; readonly id?: string }, ctx?: ProviderContext): Promise<Instance | undefined> => {
    try {
      const input =
        query.id === undefined
          ? { Filters: [...ownerFilters(query.stack, query.address ?? ''), { Name: 'instance-state-name', Values: LIVE_STATES }] }
          : { InstanceIds: [query.id] };
      const out = await clients().ec2().send(new DescribeInstancesCommand(input), ctx === undefined ? {} : { abortSignal: ctx.signal });
      const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const found = query.id === undefined ? exactOwner(instances, query.address ?? '') : instances[0];
      return found !== undefined && LIVE_STATES.includes(found.State?.Name ?? '') ? found : undefined;
    } catch (error) {
      if (isAwsError(error, 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed')) return undefined;
      throw translateAwsError(error, { action: 'describe EC2 instances' });
    }
  };

  const waitFor = async (id: string, state: 'running' | 'stopped' | 'terminated', ctx: ProviderContext): Promise<void> => {
    const wait = { running: waitUntilInstanceRunning, stopped: waitUntilInstanceStopped, terminated: waitUntilInstanceTerminated }[state];
    ctx.output(`waiting for ${id} to be ${state}`);
    await awsCall(`wait for instance ${id} to be ${state}`, () => wait({ client: clients().ec2(), maxWaitTime: MAX_WAIT_SECONDS, abortSignal: ctx.signal }, { InstanceIds: [id] }));
  };

  const setRunning = async (id: string, running: boolean, ctx: ProviderContext): Promise<void> => {
    const ec2 = clients().ec2();
    if (running) await awsCall(`start instance ${id}`, () => ec2.send(new StartInstancesCommand({ InstanceIds: [id] }), { abortSignal: ctx.signal }));
    else await awsCall(`stop instance ${id}`, () => ec2.send(new StopInstancesCommand({ InstanceIds: [id] }), { abortSignal: ctx.signal }));
    await waitFor(id, running ? 'running' : 'stopped', ctx);
  };

  const reread = async (id: string, desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const instance = await describe({ id }, ctx);
    if (instance === undefined) throw new ProviderError('RS_AWS_E0006', `Instance ${id} (${desired.address}) vanished right after it was written`, { retryable: true });
    return toLive(instance, groupsOf(desired));
  };

  const launch = async (desired: DesiredResource, ctx: ProviderContext): Promise<Instance> => {
    const props = desired.properties;
    const groups = groupsOf(desired);
    const params = {
      ImageId: requiredString(props, 'ami'),
      InstanceType: requiredString(props, 'instance_type') as _InstanceType,
      ...(typeof props['subnet_id'] === 'string' ? { SubnetId: props['subnet_id'] } : {}),
      ...(groups === undefined ? {} : { SecurityGroupIds: groups.map(String) }),
    };
    const launchKey = { ami: params.ImageId, instance_type: params.InstanceType, subnet_id: params.SubnetId ?? '', security_group_ids: [...(params.SecurityGroupIds ?? [])].sort() };
    let previous: string | undefined;
    // AWS answers a reused token with the instance it launched first, even once terminated
    // (for a while): then derive the next token from that instance's id, which a concurrent
    // run sees too, so both still launch the same one.
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = instanceClientToken(ctx.stack, desired.address, launchKey, previous);
      const out = await awsCall(`launch instance ${desired.address}`, () =>
        clients()
          .ec2()
          .send(new RunInstancesCommand({ ...params, MinCount: 1, MaxCount: 1, ClientToken: token, TagSpecifications: tagSpecification('instance', userTagsOf(props), ctx.stack, desired.address) }), {
            abortSignal: ctx.signal,
          }),
      );
      const instance = out.Instances?.[0];
      if (instance?.InstanceId === undefined) throw new ProviderError('RS_AWS_E0006', `Cannot launch instance ${desired.address}: AWS returned no instance id`);
      if (!['shutting-down', 'terminated'].includes(instance.State?.Name ?? '')) return instance;
      previous = instance.InstanceId;
    }
    throw new ProviderError('RS_AWS_E0006', `Cannot launch instance ${desired.address}: AWS kept answering its idempotency token with terminated instances`, { retryable: true });
  };

  return {
    kind: KIND,
    description: 'An EC2 instance with type, image, subnet, security groups, run state and tags',
    schema: EC2_INSTANCE_SCHEMA,
    forceReplace: ['ami', 'subnet_id'],
    attributes: ['id', 'arn', 'private_ip', 'public_ip', 'state'],
    marksOwnership: true,

    async read(desired, ctx) {
      const instance = await describe({ stack: desired.stack, address: desired.address }, ctx);
      return instance === undefined ? undefined : toLive(instance, groupsOf(desired));
    },

    plannedAttributes: (desired) => ({ state: desired.properties['state'] ?? 'running' }),

    async create(desired, ctx) {
      // Find by address tag first: a concurrent or interrupted commit may have launched it.
      const existing = await describe({ stack: ctx.stack, address: desired.address }, ctx);
      const instance = existing ?? (await launch(desired, ctx));
      const id = instance.InstanceId ?? '';
      await waitFor(id, 'running', ctx);
      if (desired.properties['state'] === 'stopped') await setRunning(id, false, ctx);
      return reread(id, desired, ctx);
    },

    async update(desired, live, _diff, ctx) {
      const ec2 = clients().ec2();
      const id = live.identity;
      const props = desired.properties;
      const wantRunning = props['state'] !== 'stopped';
      let running = live.properties['state'] === 'running';
      const type = requiredString(props, 'instance_type');
      if (type !== live.properties['instance_type']) {
        // AWS changes the type of a stopped instance only.
        if (running) await setRunning(id, false, ctx);
        running = false;
        await awsCall(`change the type of instance ${id}`, () => ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: type } }), { abortSignal: ctx.signal }));
      }
      const groups = groupsOf(desired);
      if (groups !== undefined && !jsonEqual(groups.map(String).sort(), [...((live.properties['security_group_ids'] ?? []) as string[])].sort())) {
        await awsCall(`set the security groups of instance ${id}`, () => ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: groups.map(String) }), { abortSignal: ctx.signal }));
      }
      await syncTags(ec2, id, userTagsOf(props), (live.properties['tags'] ?? {}) as Record<string, string>, { stack: ctx.stack, address: desired.address });
      if (running !== wantRunning) await setRunning(id, wantRunning, ctx);
      return reread(id, desired, ctx);
    },

    async delete(live, ctx) {
      try {
        await clients().ec2().send(new TerminateInstancesCommand({ InstanceIds: [live.identity] }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'InvalidInstanceID.NotFound')) return;
        throw translateAwsError(error, { action: `terminate instance ${live.identity}` });
      }
      // Security groups and subnets it uses cannot be deleted until it is gone.
      await waitFor(live.identity, 'terminated', ctx);
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:ec2:[^:]*:[^:]*:instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1],
    async readIdentity(identity, ctx) {
      const instance = await describe({ id: identity }, ctx);
      return instance === undefined ? undefined : toLive(instance);
    },
  };
}

function groupsOf(desired: DesiredResource): readonly JsonValue[] | undefined {
  const groups = desired.properties['security_group_ids'];
  return Array.isArray(groups) ? groups : undefined;
}
