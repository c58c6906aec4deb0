// The DynamoDB emulator judged by the official v3 client and the AWS CLI: expressions, paging,
// transactions, and the LeadingKeys policy of the pool's authenticated role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import {
  DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand,
  TransactWriteItemsCommand, CreateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { startSandbox, login } from './helpers.js';
import { identityClient, dynamoClient, developerCredentials } from './aws-clients.js';

let sb; let ci; const users = {};
before(async () => {
  sb = await startSandbox();
  ci = identityClient(sb);
  for (const name of ['alice', 'bob']) {
    const tokens = (await login(sb, { username: `${name}@example.com` })).tokens;
    users[name] = await credsFor(tokens.id_token);
  }
});
after(async () => { await sb?.stop(); });

async function credsFor(idToken) {
  const Logins = { [sb.ready.provider_name]: idToken };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins }));
  const c = (await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials;
  return { identityId: IdentityId, creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
}

const T = () => sb.ready.dynamodb_table;
const key = (id, sk) => ({ identity_id: { S: id }, sk: { S: sk } });

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
  return promise.catch((e) => e);
}

test('ready.json names the table, the endpoint and a DynamoDB profile that still names Cognito Sync', () => {
  assert.match(sb.ready.endpoints.dynamodb, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  const p = JSON.parse(fs.readFileSync(sb.ready.dynamodb_profile_file, 'utf8'));
  assert.equal(p.store, 'dynamodb');
  assert.equal(p.dynamodb.table, T());
  assert.equal(p.dynamodb.endpoint, sb.ready.endpoints.dynamodb);
  assert.equal(p.cognito.endpoints.cognito_sync, sb.ready.endpoints.cognito_sync);
});

test('developer: DescribeTable; identity: its own partition only, AccessDenied worded as AWS', async () => {
  const dev = dynamoClient(sb, developerCredentials(sb));
  const t = (await dev.send(new DescribeTableCommand({ TableName: T() }))).Table;
  assert.equal(t.TableStatus, 'ACTIVE');
  assert.deepEqual(t.KeySchema.map((k) => [k.AttributeName, k.KeyType]), [['identity_id', 'HASH'], ['sk', 'RANGE']]);
  const a = users.alice; const b = users.bob;
  const ca = dynamoClient(sb, a.creds);
  await ca.send(new PutItemCommand({ TableName: T(), Item: { ...key(a.identityId, 'R#x#k'), v: { S: 'mine' } } }));
  const got = await ca.send(new GetItemCommand({ TableName: T(), Key: key(a.identityId, 'R#x#k'), ConsistentRead: true }));
  assert.equal(got.Item.v.S, 'mine');
  const denied = await rejects(ca.send(new GetItemCommand({ TableName: T(), Key: key(b.identityId, 'R#x#k') })), 'AccessDeniedException',
    new RegExp(`^User: arn:aws:sts::\\d{12}:assumed-role/[^/]+/CognitoIdentityCredentials is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:\\d{12}:table/${T()} because no identity-based policy allows the dynamodb:GetItem action$`));
  assert.equal(denied.$metadata.httpStatusCode, 400);
  await rejects(ca.send(new PutItemCommand({ TableName: T(), Item: { ...key(b.identityId, 'R#x#k'), v: { S: 'theirs' } } })), 'AccessDeniedException');
  await rejects(ca.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'identity_id = :p', ExpressionAttributeValues: { ':p': { S: b.identityId } } })), 'AccessDeniedException');
  await rejects(ca.send(new DescribeTableCommand({ TableName: T() })), 'AccessDeniedException');
  await rejects(ca.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: T(), Item: { ...key(a.identityId, 'R#x#1'), v: { S: '1' } } } },
    { Put: { TableName: T(), Item: { ...key(b.identityId, 'R#x#1'), v: { S: '1' } } } },
  ] })), 'AccessDeniedException');
  // Nothing of the refused transaction was written, and the developer reads every partition.
  const none = await dev.send(new GetItemCommand({ TableName: T(), Key: key(a.identityId, 'R#x#1') }));
  assert.equal(none.Item, undefined);
  const devGot = await dev.send(new GetItemCommand({ TableName: T(), Key: key(a.identityId, 'R#x#k') }));
  assert.equal(devGot.Item.v.S, 'mine');
});

test('conditions, updates, ALL_OLD on failure, and deletes behave as documented', async () => {
  const a = users.alice;
  const c = dynamoClient(sb, a.creds);
  const k = key(a.identityId, 'D#cond');
  const up = (expected) => c.send(new UpdateItemCommand({
    TableName: T(), Key: k,
    UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, #m = :m',
    ConditionExpression: expected === 0 ? 'attribute_not_exists(#c)' : '#c = :exp',
    ExpressionAttributeNames: { '#c': 'sync_count', '#m': 'last_modified_by' },
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':m': { S: 'dev-1' }, ...(expected === 0 ? {} : { ':exp': { N: String(expected) } }) },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));
  assert.equal((await up(0)).Attributes.sync_count.N, '1');
  assert.equal((await up(1)).Attributes.sync_count.N, '2');
  const e = await rejects(up(1), 'ConditionalCheckFailedException', 'The conditional request failed');
  assert.equal(e.Item.sync_count.N, '2');
  await rejects(c.send(new UpdateItemCommand({ TableName: T(), Key: k, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' }, ':unused': { S: 'y' } } })),
    'ValidationException', /unused in expressions/);
  await rejects(c.send(new DeleteItemCommand({ TableName: T(), Key: k, ConditionExpression: 'sync_count > :n', ExpressionAttributeValues: { ':n': { N: '5' } } })), 'ConditionalCheckFailedException');
  const del = await c.send(new DeleteItemCommand({ TableName: T(), Key: k, ReturnValues: 'ALL_OLD' }));
  assert.equal(del.Attributes.sync_count.N, '2');
  await rejects(c.send(new PutItemCommand({ TableName: T(), Item: { ...key(a.identityId, 'big'), v: { S: 'x'.repeat(401 * 1024) } } })), 'ValidationException', 'Item size has exceeded the maximum allowed size');
});

test('transactions are all or nothing, say which condition failed, and a client token is idempotent', async () => {
  const a = users.alice;
  const c = dynamoClient(sb, a.creds);
  const items = (n, cond) => [
    { Update: { TableName: T(), Key: key(a.identityId, 'D#tx'), UpdateExpression: 'SET sync_count = :n', ConditionExpression: cond,
      ExpressionAttributeValues: { ':n': { N: String(n) }, ...(cond.includes(':e') ? { ':e': { N: String(n - 1) } } : {}) } } },
    { Put: { TableName: T(), Item: { ...key(a.identityId, 'R#tx#k'), v: { S: `v${n}` }, sync_count: { N: String(n) } } } },
  ];
  await c.send(new TransactWriteItemsCommand({ TransactItems: items(1, 'attribute_not_exists(sync_count)'), ClientRequestToken: 'tok-1' }));
  // The same token again: accepted, nothing written twice.
  await c.send(new TransactWriteItemsCommand({ TransactItems: items(1, 'attribute_not_exists(sync_count)'), ClientRequestToken: 'tok-1' }));
  await rejects(c.send(new TransactWriteItemsCommand({ TransactItems: items(2, 'attribute_not_exists(sync_count)'), ClientRequestToken: 'tok-1' })), 'IdempotentParameterMismatchException');
  const e = await rejects(c.send(new TransactWriteItemsCommand({ TransactItems: items(3, 'sync_count = :e') })),
    'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]');
  assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ['ConditionalCheckFailed', 'None']);
  const rec = await c.send(new GetItemCommand({ TableName: T(), Key: key(a.identityId, 'R#tx#k') }));
  assert.equal(rec.Item.v.S, 'v1');
  await c.send(new TransactWriteItemsCommand({ TransactItems: items(2, 'sync_count = :e') }));
  assert.equal((await c.send(new GetItemCommand({ TableName: T(), Key: key(a.identityId, 'R#tx#k') }))).Item.v.S, 'v2');
});

test('Query: key condition, filter, projection, Limit and LastEvaluatedKey paging over 1 MB pages', async () => {
  const b = users.bob;
  const c = dynamoClient(sb, b.creds);
  for (let i = 0; i < 30; i += 1) {
    await c.send(new PutItemCommand({ TableName: T(), Item: { ...key(b.identityId, `R#q#${String(i).padStart(2, '0')}`), sync_count: { N: String(i) }, v: { S: 'y'.repeat(100 * 1024) } } }));
  }
  await c.send(new PutItemCommand({ TableName: T(), Item: { ...key(b.identityId, 'R#qq#other'), sync_count: { N: '99' } } }));
  const seen = []; let start; let pages = 0;
  do {
    const r = await c.send(new QueryCommand({
      TableName: T(), ConsistentRead: true, ExclusiveStartKey: start,
      KeyConditionExpression: 'identity_id = :p AND begins_with(sk, :pre)', FilterExpression: 'sync_count > :last',
      ProjectionExpression: 'sk, sync_count',
      ExpressionAttributeValues: { ':p': { S: b.identityId }, ':pre': { S: 'R#q#' }, ':last': { N: '9' } },
    }));
    pages += 1;
    seen.push(...r.Items.map((x) => x.sk.S));
    assert.ok(r.Items.every((x) => x.v === undefined));
    start = r.LastEvaluatedKey;
  } while (start);
  assert.ok(pages >= 3, `pages ${pages}`);
  assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => `R#q#${String(i + 10).padStart(2, '0')}`));
  const limited = await c.send(new QueryCommand({ TableName: T(), Limit: 2, KeyConditionExpression: 'identity_id = :p AND sk BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':p': { S: b.identityId }, ':a': { S: 'R#q#05' }, ':b': { S: 'R#q#09' } } }));
  assert.deepEqual(limited.Items.map((x) => x.sk.S), ['R#q#05', 'R#q#06']);
  assert.equal(limited.LastEvaluatedKey.sk.S, 'R#q#06');
});

test('developer credentials can create a table', async () => {
  const dev = dynamoClient(sb, developerCredentials(sb));
  const r = await dev.send(new CreateTableCommand({ TableName: 'made-by-test', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'identity_id', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'identity_id', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
  assert.equal(r.TableDescription.TableStatus, 'ACTIVE');
  await rejects(dynamoClient(sb, users.alice.creds).send(new CreateTableCommand({ TableName: 'nope', AttributeDefinitions: [{ AttributeName: 'identity_id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'identity_id', KeyType: 'HASH' }] })), 'AccessDeniedException');
});

// ---- The AWS CLI (botocore) against the emulator ----
function aws(args, env) {
  return new Promise((resolve) => {
    execFile('aws', [...args, '--endpoint-url', sb.ready.endpoints.dynamodb, '--ca-bundle', sb.ready.ca_file, '--region', sb.ready.region, '--output', 'json'],
      { env: { PATH: process.env.PATH, HOME: sb.dir, AWS_CONFIG_FILE: path.join(sb.dir, 'nope'), AWS_SHARED_CREDENTIALS_FILE: path.join(sb.dir, 'nope'), ...env } },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
}
const envFor = (c) => ({ AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}) });

test('AWS CLI: describe-table, get-item, query; AccessDenied for another identity', { skip: !fs.existsSync('/usr/bin/aws') && 'no AWS CLI' }, async () => {
  const a = users.alice; const b = users.bob;
  const dev = envFor(developerCredentials(sb));
  const d = await aws(['dynamodb', 'describe-table', '--table-name', T()], dev);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(JSON.parse(d.stdout).Table.TableName, T());
  const g = await aws(['dynamodb', 'get-item', '--table-name', T(), '--key', JSON.stringify(key(a.identityId, 'R#x#k')), '--consistent-read'], envFor(a.creds));
  assert.equal(g.code, 0, g.stderr);
  assert.equal(JSON.parse(g.stdout).Item.v.S, 'mine');
  const q = await aws(['dynamodb', 'query', '--table-name', T(), '--key-condition-expression', 'identity_id = :p AND begins_with(sk, :pre)',
    '--projection-expression', 'sk', '--expression-attribute-values', JSON.stringify({ ':p': { S: b.identityId }, ':pre': { S: 'R#q#' } })], envFor(b.creds));
  assert.equal(q.code, 0, q.stderr);
  assert.equal(JSON.parse(q.stdout).Count, 30); // the CLI follows LastEvaluatedKey itself
  const denied = await aws(['dynamodb', 'get-item', '--table-name', T(), '--key', JSON.stringify(key(b.identityId, 'R#q#01'))], envFor(a.creds));
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /AccessDeniedException.*is not authorized to perform: dynamodb:GetItem/);
});
