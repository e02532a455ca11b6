import type { Finding } from './schema.js';
import type { NormalisedFinding } from './model.js';
import { scalarFields } from './facets.js';
import { at, fields, joinSome, list, text, type Json } from './read.js';

type Action = NormalisedFinding['action'];
type Actor = NormalisedFinding['actor'];

const NO_ACTOR: Actor = {
  ip: null,
  country: null,
  city: null,
  org: null,
  asn: null,
  caller: null,
  userAgent: null,
  domain: null,
};

/** Who acted, from GuardDuty's `remoteIpDetails` shape. */
function fromRemoteIp(details: Json): Partial<Actor> {
  return {
    ip: text(details, 'ipAddressV4') ?? text(details, 'ipAddressV6'),
    country: text(details, 'country', 'countryName'),
    city: text(details, 'city', 'cityName'),
    org:
      text(details, 'organization', 'asnOrg') ??
      text(details, 'organization', 'org') ??
      text(details, 'organization', 'isp'),
    // GuardDuty writes "-1" when it does not know the ASN: leave it out rather than show "AS-1".
    asn: knownAsn(text(details, 'organization', 'asn')),
  };
}

function knownAsn(asn: string | null): string | null {
  return asn === null || asn === '-1' || asn === '0' ? null : asn;
}

function place(actor: Partial<Actor>): string | null {
  const where = [actor.city, actor.country].filter(Boolean).join(', ');
  const who = [actor.org, actor.asn ? `AS${actor.asn}` : null].filter(Boolean).join(' ');
  const parts = [where, who].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' · ') : null;
}

function portText(details: Json): string | null {
  const port = text(details, 'port');
  const name = text(details, 'portName');
  if (!port) return null;
  return name && name !== 'Unknown' ? `${port} (${name})` : port;
}

interface Summary {
  action: Omit<Action, 'type'>;
  actor: Partial<Actor>;
}

function networkConnection(a: Json): Summary {
  const remote = fromRemoteIp(at(a, 'remoteIpDetails'));
  const direction = text(a, 'connectionDirection');
  return {
    actor: remote,
    action: {
      label:
        direction === 'OUTBOUND'
          ? 'Outbound network connection'
          : direction === 'INBOUND'
            ? 'Inbound network connection'
            : 'Network connection',
      fields: fields([
        ['Remote IP', remote.ip],
        ['Remote location', place(remote)],
        ['Remote port', portText(at(a, 'remotePortDetails'))],
        ['Local port', portText(at(a, 'localPortDetails'))],
        ['Protocol', text(a, 'protocol')],
        ['Blocked', text(a, 'blocked')],
      ]),
    },
  };
}

function portProbe(a: Json): Summary {
  const probes = list(a, 'portProbeDetails');
  const first = fromRemoteIp(at(probes, 0, 'remoteIpDetails'));
  return {
    actor: first,
    action: {
      label: 'Port probe',
      fields: fields([
        [
          'Probed ports',
          joinSome(
            probes.map((p) => portText(at(p, 'localPortDetails'))),
            5,
          ),
        ],
        [
          'Sources',
          joinSome(
            probes.map((p) => text(p, 'remoteIpDetails', 'ipAddressV4')),
            3,
          ),
        ],
        ['Source location', place(first)],
        ['Blocked', text(a, 'blocked')],
      ]),
    },
  };
}

function dnsRequest(a: Json): Summary {
  const domain = text(a, 'domain');
  return {
    actor: { domain },
    action: {
      label: 'DNS request',
      fields: fields([
        ['Domain', domain],
        ['Protocol', text(a, 'protocol')],
        ['Blocked', text(a, 'blocked')],
      ]),
    },
  };
}

function awsApiCall(a: Json): Summary {
  const remote = fromRemoteIp(at(a, 'remoteIpDetails'));
  const api = text(a, 'api');
  const service = text(a, 'serviceName');
  const caller = text(a, 'remoteAccountDetails', 'accountId') ?? text(a, 'callerType');
  return {
    actor: { ...remote, caller, userAgent: text(a, 'userAgent'), domain: text(a, 'domainDetails', 'domain') },
    action: {
      label: 'AWS API call',
      fields: fields([
        ['API', api && service ? `${service} ${api}` : api],
        ['Caller', caller],
        ['Remote IP', remote.ip],
        ['Remote location', place(remote)],
        ['User agent', text(a, 'userAgent')],
        ['Error code', text(a, 'errorCode')],
      ]),
    },
  };
}

function kubernetesApiCall(a: Json, resource: Json): Summary {
  const remote = fromRemoteIp(at(a, 'remoteIpDetails'));
  const verb = text(a, 'verb');
  const uri = text(a, 'requestUri');
  const user = text(resource, 'kubernetesDetails', 'kubernetesUserDetails', 'username');
  return {
    actor: {
      ...remote,
      ip:
        remote.ip ??
        joinSome(
          list(a, 'sourceIps').map((ip) => text(ip)),
          1,
        ),
      caller: user,
      userAgent: text(a, 'userAgent'),
    },
    action: {
      label: 'Kubernetes API call',
      fields: fields([
        ['Request', verb && uri ? `${verb.toUpperCase()} ${uri}` : (uri ?? verb)],
        ['Status', text(a, 'statusCode')],
        ['Source IPs', joinSome(list(a, 'sourceIps').map((ip) => text(ip)))],
        ['Remote location', place(remote)],
        ['User agent', text(a, 'userAgent')],
      ]),
    },
  };
}

function rdsLoginAttempt(a: Json): Summary {
  const remote = fromRemoteIp(at(a, 'remoteIpDetails'));
  // GuardDuty documents this key as `LoginAttributes` (capitalised); accept both spellings.
  const attempts = [...list(a, 'LoginAttributes'), ...list(a, 'loginAttributes')];
  const sum = (key: string): string | null => {
    const values = attempts.map((x) => Number(at(x, key))).filter((n) => Number.isFinite(n));
    return values.length > 0 ? String(values.reduce((s, n) => s + n, 0)) : null;
  };
  return {
    actor: remote,
    action: {
      label: 'RDS login attempt',
      fields: fields([
        ['Users', joinSome(attempts.map((x) => text(x, 'user')))],
        ['Applications', joinSome(attempts.map((x) => text(x, 'application')))],
        ['Failed logins', sum('failedLoginAttempts')],
        ['Successful logins', sum('successfulLoginAttempts')],
        ['Remote IP', remote.ip],
        ['Remote location', place(remote)],
      ]),
    },
  };
}

function noAction(finding: Finding): Summary {
  const service = finding.service as Json;
  if (at(service, 'runtimeDetails') !== undefined)
    return { actor: {}, action: { label: 'Runtime activity', fields: [] } };
  if (at(service, 'ebsVolumeScanDetails') !== undefined || at(service, 'malwareScanDetails') !== undefined) {
    return { actor: {}, action: { label: 'Malware scan', fields: [] } };
  }
  return { actor: {}, action: { label: 'Activity', fields: [] } };
}

/**
 * An action type this code does not know yet: its type and its scalar fields,
 * rather than an empty section; its remote IP, if in the usual place, is the actor.
 */
function unknownAction(action: Json, actionType: string): Summary {
  const body = Object.entries((action ?? {}) as Record<string, Json>).find(([k]) => k !== 'actionType')?.[1];
  return {
    actor: fromRemoteIp(at(body, 'remoteIpDetails')),
    action: { label: actionType, fields: scalarFields(body) },
  };
}

/** Summarises what happened (the action) and who did it (the actor) for any action type. */
export function summariseAction(finding: Finding): { action: Action; actor: Actor } {
  const action = finding.service.action as Json;
  const actionType = text(action, 'actionType');
  let summary: Summary;
  switch (actionType) {
    case 'NETWORK_CONNECTION':
      summary = networkConnection(at(action, 'networkConnectionAction'));
      break;
    case 'PORT_PROBE':
      summary = portProbe(at(action, 'portProbeAction'));
      break;
    case 'DNS_REQUEST':
      summary = dnsRequest(at(action, 'dnsRequestAction'));
      break;
    case 'AWS_API_CALL':
      summary = awsApiCall(at(action, 'awsApiCallAction'));
      break;
    case 'KUBERNETES_API_CALL':
      summary = kubernetesApiCall(at(action, 'kubernetesApiCallAction'), finding.resource);
      break;
    case 'RDS_LOGIN_ATTEMPT':
      summary = rdsLoginAttempt(at(action, 'rdsLoginAttemptAction'));
      break;
    default:
      summary = actionType ? unknownAction(action, actionType) : noAction(finding);
  }
  const actor: Actor = { ...NO_ACTOR };
  for (const [key, value] of Object.entries(summary.actor) as Array<[keyof Actor, string | null | undefined]>) {
    if (value !== undefined && value !== null) actor[key] = value;
  }
  return { action: { type: actionType, ...summary.action }, actor };
}
