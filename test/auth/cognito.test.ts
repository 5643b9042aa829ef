/**
 * Cognito user-pool tokens as the app sees them in AWS: RS256, the pool's issuer, the app client
 * as audience, groups and the custom organisation attribute. The key set is pre-loaded (nothing
 * can reach Cognito here); the verification itself is aws-jwt-verify's.
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { randomBytes } from "node:crypto";
import type { Jwks } from "aws-jwt-verify/jwk";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../shared/api/app.ts";
import { CognitoAuthenticator, DevTokenAuthenticator } from "../../shared/auth/auth.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import { freshStore } from "../helpers/dynamo.ts";

const POOL = "ap-southeast-1_Example";
const CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado";
const ISSUER = `https://cognito-idp.ap-southeast-1.amazonaws.com/${POOL}`;

describe("Cognito tokens", () => {
  let sign: (claims: Record<string, unknown>, opts?: { issuer?: string; audience?: string; expiresIn?: string }) => Promise<string>;
  let auth: CognitoAuthenticator;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
    const jwks = { keys: [jwk] } as unknown as Jwks;
    auth = new CognitoAuthenticator({ userPoolId: POOL, clientId: CLIENT, jwks });
    sign = (claims, opts = {}) =>
      new SignJWT({ token_use: "id", ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "test-key-1" })
        .setIssuer(opts.issuer ?? ISSUER)
        .setAudience(opts.audience ?? CLIENT)
        .setSubject("7d8ca528-4931-4254-9273-ea5ee853f271")
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? "1h")
        .sign(privateKey);
  });

  it("takes the strongest group as the role and the custom attribute as the organisation", async () => {
    const token = await sign({ "cognito:groups": ["secretary", "inspector"], "custom:org_id": "huyen-dong-son" });
    expect(await auth.authenticate(token)).toEqual({ sub: "7d8ca528-4931-4254-9273-ea5ee853f271", role: "inspector", orgId: "huyen-dong-son" });
  });

  it("refuses tokens of another pool or client, expired ones, and users without a group or organisation", async () => {
    expect(await auth.authenticate(await sign({ "cognito:groups": ["admin"], "custom:org_id": "tinh-mau" }, { issuer: "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_Other" }))).toBeNull();
    expect(await auth.authenticate(await sign({ "cognito:groups": ["admin"], "custom:org_id": "tinh-mau" }, { audience: "another-client" }))).toBeNull();
    expect(await auth.authenticate(await sign({ "cognito:groups": ["admin"], "custom:org_id": "tinh-mau" }, { expiresIn: "-1m" }))).toBeNull();
    expect(await auth.authenticate(await sign({ "custom:org_id": "tinh-mau" }))).toBeNull();
    expect(await auth.authenticate(await sign({ "cognito:groups": ["admin"] }))).toBeNull();
    expect(await auth.authenticate(undefined)).toBeNull();
  });

  it("drives the same subtree rules through the app as development tokens do", async () => {
    const { store, blobs } = await freshStore();
    await seedExampleTree(store);
    const app = createApp({ store, blobs, auth });
    const west = await sign({ "cognito:groups": ["inspector"], "custom:org_id": "huyen-tay-son" });
    const ok = await app.request("/api/orgs/huyen-tay-son/flagged?month=2026-11", { headers: { authorization: `Bearer ${west}` } });
    expect(ok.status).toBe(200);
    const other = await app.request("/api/orgs/huyen-dong-son/flagged?month=2026-11", { headers: { authorization: `Bearer ${west}` } });
    expect(other.status).toBe(404);
    // a development token means nothing to a Cognito deployment
    const dev = await new DevTokenAuthenticator(randomBytes(32)).issue({ sub: "x", role: "admin", orgId: "tinh-mau" });
    expect((await app.request("/api/orgs", { headers: { authorization: `Bearer ${dev}` } })).status).toBe(401);
  });
});
