import { createLocalTransport } from './local-transport.ts';
import { describeTransportBehaviour } from './testing/transport-behaviour.ts';

describeTransportBehaviour('local transport', () => Promise.resolve(createLocalTransport()));
