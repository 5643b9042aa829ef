/**
 * Who is asking, and what they may see.
 *
 * - In AWS: Cognito user-pool JWTs (the HTTP API's authoriser checks them first; the Lambda checks
 *   them again with aws-jwt-verify so the app never trusts an unverified claim). Role from the
 *   `cognito:groups` claim, organisation from `custom:org_id`.
 * - Locally: development tokens signed with a per-machine secret (HS256), made by
 *   `npx bienban token --role inspector --org <id>`.
 *
 * Roles: secretary — upload and read their own cell; inspector — read and correct within their
 * organisation's subtree; admin — everything within their subtree, and the organisation tree.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { SignJWT, jwtVerify } from "jose";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as z from "zod";
import { BienbanError } from "../errors.ts";
import { OrgIdSchema, type Org } from "../store/records.ts";

export const RoleSchema = z.enum(["admin", "inspector", "secretary"]);
export type Role = z.infer<typeof RoleSchema>;

export const PrincipalSchema = z.object({
  sub: z.string().min(1).max(200),
  role: RoleSchema,
  orgId: OrgIdSchema,
});
export type Principal = z.infer<typeof PrincipalSchema>;

export class UnauthenticatedError extends BienbanError {
  constructor() {
    super("UNAUTHENTICATED", 401, "Cần đăng nhập.", "Sign-in required.");
  }
}

export class ForbiddenError extends BienbanError {
  constructor() {
    super("FORBIDDEN", 403, "Bạn không có quyền thực hiện việc này.", "You are not allowed to do this.");
  }
}

export interface Authenticator {
  /** The principal of a bearer token, or null when the token is absent or invalid. */
  authenticate(token: string | undefined): Promise<Principal | null>;
}

const DEV_ISSUER = "bienban-local";

export class DevTokenAuthenticator implements Authenticator {
  private readonly key: Uint8Array;
  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new Error("dev token secret must be at least 32 bytes");
    this.key = secret;
  }

  /** The secret lives in the git-ignored data folder, made once per machine. */
  static fromDataDir(dataDir: string): DevTokenAuthenticator {
    const path = `${dataDir}/dev-token-secret`;
    let secret: Buffer;
    try {
      secret = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
    } catch {
      secret = randomBytes(32);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, secret.toString("base64url"), { mode: 0o600 });
    }
    return new DevTokenAuthenticator(secret);
  }

  async issue(p: Principal, ttlSeconds = 12 * 3600): Promise<string> {
    const principal = PrincipalSchema.parse(p);
    return new SignJWT({ role: principal.role, org: principal.orgId })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(DEV_ISSUER)
      .setSubject(principal.sub)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key);
  }

  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: DEV_ISSUER, algorithms: ["HS256"] });
      const p = PrincipalSchema.safeParse({ sub: payload.sub, role: payload.role, orgId: payload.org });
      return p.success ? p.data : null;
    } catch {
      return null;
    }
  }
}

/** Cognito user-pool tokens (id or access token), verified against the pool's JWKS. */
export class CognitoAuthenticator implements Authenticator {
  private readonly verifier;
  constructor(options: { userPoolId: string; clientId: string; /** pre-loaded keys (tests; offline) */ jwks?: Jwks }) {
    this.verifier = CognitoJwtVerifier.create({ userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: null });
    if (options.jwks) this.verifier.cacheJwks(options.jwks);
  }

  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    try {
      const payload = await this.verifier.verify(token);
      const groups = z.array(z.string()).safeParse(payload["cognito:groups"]);
      // the strongest role among the user's groups
      const role = (["admin", "inspector", "secretary"] as const).find((r) => groups.success && groups.data.includes(r));
      const p = PrincipalSchema.safeParse({ sub: payload.sub, role, orgId: payload["custom:org_id"] });
      return p.success ? p.data : null;
    } catch {
      return null;
    }
  }
}

/** Is `target` (an org path) within the subtree of the principal's organisation `home`? */
export function withinSubtree(home: Org, targetPath: string): boolean {
  return targetPath === home.path || targetPath.startsWith(`${home.path}/`);
}
