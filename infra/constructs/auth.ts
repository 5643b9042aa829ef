/**
 * Who may sign in: a Cognito user pool for inspectors, cell secretaries and administrators.
 *
 * Decisions:
 * - No self sign-up: accounts are created by an administrator for people of known organisations.
 * - MFA REQUIRED, TOTP only (AwsSolutions-COG2). The pages show party members' names and
 *   attendance; a leaked password alone must not open them. No SMS: it costs per message and
 *   SIM-swap makes it the weakest factor.
 * - Plus feature plan with threat protection ENFORCED (AwsSolutions-COG8 / the old COG3
 *   "advanced security"): blocks compromised-credential and risky sign-ins. Costs more per monthly
 *   active user than Essentials; the user base is officials, not the public, so it stays small.
 * - Password: 12+ characters with all four classes (AwsSolutions-COG1 asks for 8+).
 * - `custom:org_id` places a user in the organisation tree (what they may see). Only an
 *   administrator sets it: the app client may READ it but not WRITE it, so nobody can move
 *   themselves to another organisation.
 * - Groups admin / inspector / secretary carry the role; they appear in the `cognito:groups` claim.
 * - The web app client is public (no secret: it runs in a browser) and signs in with SRP, so the
 *   password never leaves the browser. OAuth/hosted UI is off: it would need a Cognito domain and
 *   callback URLs, which the pages do not use.
 * - Deletion protection and RETAIN: losing the pool means re-enrolling every user and their MFA.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

export const USER_GROUPS = ["admin", "inspector", "secretary"] as const;
export const ORG_ID_ATTRIBUTE = "org_id";

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { [ORG_ID_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 128, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    USER_GROUPS.forEach((groupName, precedence) => {
      new cognito.UserPoolGroup(this, `Group-${groupName}`, {
        userPool: this.userPool,
        groupName,
        // lower wins when a user is in several groups: admin before inspector before secretary
        precedence,
      });
    });

    const standardRead = new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true });
    this.webClient = this.userPool.addClient("Web", {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      readAttributes: standardRead.withCustomAttributes(ORG_ID_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
  }
}
