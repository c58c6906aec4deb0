// AWS SDK v3 clients pointed at a sandbox, trusting its CA through a custom https.Agent.
import https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { STSClient } from '@aws-sdk/client-sts';
import { CognitoSyncClient } from '@aws-sdk/client-cognito-sync';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

function handler(sb) {
  return new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: sb.ca, keepAlive: false }) });
}

const noCreds = async () => { throw new Error('no credentials in this test'); };

export function identityClient(sb, credentials = noCreds, extra = {}) {
  return new CognitoIdentityClient({
    region: sb.ready.region, endpoint: sb.ready.endpoints.cognito_identity, requestHandler: handler(sb), credentials, maxAttempts: 1, ...extra,
  });
}

export function stsClient(sb) {
  return new STSClient({ region: sb.ready.region, endpoint: sb.ready.endpoints.sts, requestHandler: handler(sb), credentials: noCreds, maxAttempts: 1 });
}

export function syncClient(sb, credentials, extra = {}) {
  return new CognitoSyncClient({
    region: sb.ready.region, endpoint: sb.ready.endpoints.cognito_sync, requestHandler: handler(sb), credentials, maxAttempts: 1, ...extra,
  });
}

export function developerCredentials(sb) {
  return { accessKeyId: sb.ready.developer_credentials.access_key_id, secretAccessKey: sb.ready.developer_credentials.secret_access_key };
}

export function dynamoClient(sb, credentials, extra = {}) {
  return new DynamoDBClient({
    region: sb.ready.region, endpoint: sb.ready.endpoints.dynamodb, requestHandler: handler(sb), credentials, maxAttempts: 1, ...extra,
  });
}
