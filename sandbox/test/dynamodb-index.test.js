// Global secondary indexes in the DynamoDB emulator, judged by the official v3 client: CreateTable and
// DescribeTable, a sparse index kept up to date by every write, Query with IndexName and paging, the
// validation errors AWS gives, and who may query an index (never an identity's own credentials).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetIdCommand, GetCredentialsForIdentityCommand } from '@aws-sdk/client-cognito-identity';
import {
  CreateTableCommand, DescribeTableCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { startSandbox, login } from './helpers.js';
import { identityClient, dynamoClient, developerCredentials } from './aws-clients.js';

let sb; let dev; let alice;
before(async () => {
  sb = await startSandbox();
  dev = dynamoClient(sb, developerCredentials(sb));
  const tokens = (await login(sb, { username: 'alice@example.com' })).tokens;
  const ci = identityClient(sb);
  const Logins = { [sb.ready.provider_name]: tokens.id_token };
  const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: sb.ready.identity_pool_id, Logins }));
  const c = (await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials;
  alice = { identityId: IdentityId, creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } };
});
after(async () => { await sb?.stop(); });

const T = () => sb.ready.dynamodb_table;
const S = (v) => ({ S: v });

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const byEmail = (email, extra = {}) => new QueryCommand({
  TableName: T(), IndexName: 'card-lookup', KeyConditionExpression: '#k = :v',
  ExpressionAttributeNames: { '#k': 'card_lookup' }, ExpressionAttributeValues: { ':v': S(`email#${email}`) }, ...extra,
});

test('the sandbox table has the card index as `fedsync-cli setup dynamodb` creates it', async () => {
  const t = (await dev.send(new DescribeTableCommand({ TableName: T() }))).Table;
  assert.equal(t.GlobalSecondaryIndexes.length, 1);
  const g = t.GlobalSecondaryIndexes[0];
  assert.equal(g.IndexName, 'card-lookup');
  assert.deepEqual(g.KeySchema, [{ AttributeName: 'card_lookup', KeyType: 'HASH' }]);
  assert.deepEqual(g.Projection, { ProjectionType: 'KEYS_ONLY' });
  assert.equal(g.IndexStatus, 'ACTIVE');
  assert.equal(g.IndexArn, `${t.TableArn}/index/card-lookup`);
  assert.ok(t.AttributeDefinitions.some((a) => a.AttributeName === 'card_lookup' && a.AttributeType === 'S'));
});

test('CreateTable with a GSI: described, validated as AWS does', async () => {
  const base = {
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  };
  const made = await dev.send(new CreateTableCommand({
    ...base, TableName: 'gsi-test',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g1', AttributeType: 'S' }, { AttributeName: 'g2', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g1', KeyType: 'HASH' }, { AttributeName: 'g2', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] } }],
  }));
  assert.equal(made.TableDescription.GlobalSecondaryIndexes[0].IndexName, 'by-g');
  assert.equal(made.TableDescription.GlobalSecondaryIndexes[0].ItemCount, 0);
  await rejects(dev.send(new CreateTableCommand({
    ...base, TableName: 'gsi-bad-1',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-x', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  })), 'ValidationException', /index key attributes are not defined in AttributeDefinitions/);
  await rejects(dev.send(new CreateTableCommand({
    ...base, TableName: 'gsi-bad-2',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'unused', AttributeType: 'S' }],
  })), 'ValidationException', /Some AttributeDefinitions are not used/);

  // Items in index order, INCLUDE projection, paging by the table's and the index's keys.
  for (const [pk, g2, note] of [['p3', 'b', 'n3'], ['p1', 'a', 'n1'], ['p2', 'a', 'n2'], ['p4', 'c', 'n4']]) {
    await dev.send(new PutItemCommand({ TableName: 'gsi-test', Item: { pk: S(pk), sk: S('x'), g1: S('same'), g2: S(g2), note: S(note), other: S('hidden') } }));
  }
  const seen = []; let start;
  for (let page = 0; page < 10; page += 1) {
    const r = await dev.send(new QueryCommand({ TableName: 'gsi-test', IndexName: 'by-g', KeyConditionExpression: 'g1 = :g AND g2 <= :max', ExpressionAttributeValues: { ':g': S('same'), ':max': S('b') }, Limit: 2, ExclusiveStartKey: start }));
    seen.push(...r.Items);
    start = r.LastEvaluatedKey;
    if (!start) break;
    assert.deepEqual(Object.keys(start).sort(), ['g1', 'g2', 'pk', 'sk']);
  }
  assert.deepEqual(seen.map((i) => i.pk.S), ['p1', 'p2', 'p3']);
  assert.deepEqual(Object.keys(seen[0]).sort(), ['g1', 'g2', 'note', 'pk', 'sk']);
  const back = await dev.send(new QueryCommand({ TableName: 'gsi-test', IndexName: 'by-g', KeyConditionExpression: 'g1 = :g', ExpressionAttributeValues: { ':g': S('same') }, ScanIndexForward: false }));
  assert.deepEqual(back.Items.map((i) => i.pk.S), ['p4', 'p3', 'p2', 'p1']);
});

test('the card index is sparse and follows every write', async () => {
  const id = 'us-east-1:00000000-0000-4000-8000-00000000aaaa';
  const item = (sk, lookup) => ({ identity_id: S(id), sk: S(sk), value: S('v'), ...(lookup ? { card_lookup: S(lookup) } : {}) });
  await dev.send(new PutItemCommand({ TableName: T(), Item: item('R#fedsync.identity#email', 'email#sparse@example.com') }));
  await dev.send(new PutItemCommand({ TableName: T(), Item: item('R#fedsync.identity#name') }));
  await dev.send(new PutItemCommand({ TableName: T(), Item: item('R#notes#email') }));
  let r = await dev.send(byEmail('sparse@example.com'));
  assert.equal(r.Count, 1);
  // KEYS_ONLY: the table's keys and the index key, nothing else.
  assert.deepEqual(r.Items[0], { identity_id: S(id), sk: S('R#fedsync.identity#email'), card_lookup: S('email#sparse@example.com') });

  // A change of the key moves the item; removing the attribute (a removal: the value goes) drops it.
  await dev.send(new UpdateItemCommand({ TableName: T(), Key: { identity_id: S(id), sk: S('R#fedsync.identity#email') }, UpdateExpression: 'SET card_lookup = :v', ExpressionAttributeValues: { ':v': S('email#moved@example.com') } }));
  assert.equal((await dev.send(byEmail('sparse@example.com'))).Count, 0);
  assert.equal((await dev.send(byEmail('moved@example.com'))).Count, 1);
  await dev.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: T(), Item: item('R#fedsync.identity#email') } }] }));
  assert.equal((await dev.send(byEmail('moved@example.com'))).Count, 0);
  await dev.send(new PutItemCommand({ TableName: T(), Item: item('R#fedsync.identity#email', 'email#gone@example.com') }));
  await dev.send(new DeleteItemCommand({ TableName: T(), Key: { identity_id: S(id), sk: S('R#fedsync.identity#email') } }));
  assert.equal((await dev.send(byEmail('gone@example.com'))).Count, 0);

  // An index key must have the defined type and cannot be empty.
  await rejects(dev.send(new PutItemCommand({ TableName: T(), Item: { identity_id: S(id), sk: S('x'), card_lookup: { N: '1' } } })),
    'ValidationException', /Type mismatch for Index Key card_lookup Expected: S Actual: N IndexName: card-lookup/);
  await rejects(dev.send(new PutItemCommand({ TableName: T(), Item: { identity_id: S(id), sk: S('x'), card_lookup: S('') } })),
    'ValidationException', /secondary index key/);
});

test('Query on an index: what AWS refuses', async () => {
  await rejects(dev.send(byEmail('x@example.com', { ConsistentRead: true })), 'ValidationException',
    'Consistent reads are not supported on global secondary indexes');
  await rejects(dev.send(byEmail('x@example.com', { Select: 'ALL_ATTRIBUTES' })), 'ValidationException', /Select type ALL_ATTRIBUTES is not supported/);
  await rejects(dev.send(byEmail('x@example.com', { IndexName: 'no-such-index' })), 'ValidationException',
    'The table does not have the specified index: no-such-index');
  await rejects(dev.send(new QueryCommand({ TableName: T(), IndexName: 'card-lookup', KeyConditionExpression: 'identity_id = :v', ExpressionAttributeValues: { ':v': S('x') } })),
    'ValidationException', /Query condition missed key schema element|Query key condition not supported/);
});

test("an identity's credentials reach no index, not even with its own id as the key", async () => {
  const mine = dynamoClient(sb, alice.creds);
  for (const value of ['email#alice@example.com', alice.identityId]) {
    await rejects(mine.send(new QueryCommand({ TableName: T(), IndexName: 'card-lookup', KeyConditionExpression: 'card_lookup = :v', ExpressionAttributeValues: { ':v': S(value) } })),
      'AccessDeniedException', new RegExp(`not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:[^ ]+:table/${T()}/index/card-lookup`));
  }
  // Its own partition stays reachable.
  const own = await mine.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'identity_id = :v', ExpressionAttributeValues: { ':v': S(alice.identityId) } }));
  assert.equal(own.$metadata.httpStatusCode, 200);
});

test('a staff key without dynamodb:Query is refused, naming the staff user', async () => {
  const key = (await sb.admin('POST', '/admin/staff-keys', { name: 'support-nodynamo', deny: ['dynamodb:Query'] })).body;
  const staff = dynamoClient(sb, { accessKeyId: key.access_key_id, secretAccessKey: key.secret_access_key });
  await rejects(staff.send(byEmail('x@example.com')), 'AccessDeniedException',
    new RegExp(`User: ${key.arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not authorized to perform: dynamodb:Query on resource: .*/index/card-lookup`));
});

test('POST /admin/seed {"store": "dynamodb"} writes cards in Fedsync\'s layout, found through the index', async () => {
  const seeded = (await sb.admin('POST', '/admin/seed', { identities: 30, cards: true, datasets: 1, store: 'dynamodb' })).body;
  assert.equal(seeded.store, 'dynamodb');
  const one = seeded.identities[17];
  const r = await dev.send(byEmail(one.email));
  assert.deepEqual(r.Items.map((i) => [i.identity_id.S, i.sk.S]), [[one.identity_id, 'R#fedsync.identity#email']]);
  const bySub = await dev.send(new QueryCommand({ TableName: T(), IndexName: 'card-lookup', KeyConditionExpression: 'card_lookup = :v', ExpressionAttributeValues: { ':v': S(`sub#${one.sub}`) } }));
  assert.equal(bySub.Items[0].identity_id.S, one.identity_id);
  const part = await dev.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'identity_id = :v', ExpressionAttributeValues: { ':v': S(one.identity_id) } }));
  const sks = part.Items.map((i) => i.sk.S);
  assert.ok(sks.includes('D#fedsync.identity') && sks.includes('D#seed-1') && sks.includes('R#fedsync.identity#name'), sks.join(' '));
  assert.equal((await sb.admin('POST', '/admin/seed', { identities: 1, store: 'nowhere' })).status, 400);
});
