/**
 * One Secrets Manager secret per vendor, created with a placeholder of the right JSON shape (or
 * imported by name). The values are third-party API keys that only the vendor can rotate, so
 * rotation is manual: `aws secretsmanager put-secret-value` (see infra/README.md).
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { VendorName } from '../../functions/core/problem';
import { VENDORS } from '../../functions/core/problem';

/**
 * The JSON each vendor's secret must hold; the generated key fills the one credential field.
 * Frozen: CloudFormation regenerates a secret whenever its generation settings change, over the
 * key an operator set by hand (test/infra/stack.test.ts pins them). A new shape needs a new secret.
 */
export const SECRET_SHAPES: Record<VendorName, { placeholder: Record<string, string>; generated: string }> = {
  samsara: { placeholder: {}, generated: 'apiToken' },
  drivequant: { placeholder: {}, generated: 'adminApiKey' },
  chargeapi: { placeholder: {}, generated: 'secretKey' },
  focus: { placeholder: { username: 'REPLACE_ME', fleetToken: 'REPLACE_ME' }, generated: 'password' },
};

export const secretShape = (vendor: VendorName): string => {
  const { placeholder, generated } = SECRET_SHAPES[vendor];
  return `{${[...Object.keys(placeholder), generated].map((key) => `"${key}":"…"`).join(',')}}`;
};

export class VendorSecrets extends Construct {
  readonly secrets: Record<VendorName, ISecret>;

  constructor(scope: Construct, id: string, props: { importNames?: Partial<Record<VendorName, string>> }) {
    super(scope, id);
    this.secrets = Object.fromEntries(
      VENDORS.map((vendor) => {
        const imported = props.importNames?.[vendor];
        if (imported) return [vendor, Secret.fromSecretNameV2(this, `${vendor}Imported`, imported)];
        const { placeholder, generated } = SECRET_SHAPES[vendor];
        const secret = new Secret(this, vendor, {
          secretName: `driver-gateway/${vendor}`,
          description: `${vendor} credentials for driver-gateway. JSON: ${secretShape(vendor)}. Replace the placeholder with put-secret-value; rotate manually when the vendor issues a new key.`,
          generateSecretString: { secretStringTemplate: JSON.stringify(placeholder), generateStringKey: generated, excludePunctuation: true },
          // Kept on update or delete (operators' values), removed after a failed first create, so that
          // the retry does not find `driver-gateway/<vendor>` taken.
          removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        });
        Validations.of(secret).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason: `The ${vendor} key is issued by ${vendor}; it cannot be rotated by a Lambda. Rotation is a manual put-secret-value (infra/README.md), and the gateway re-reads the secret on a vendor 401/403.`,
        });
        return [vendor, secret];
      }),
    ) as Record<VendorName, ISecret>;
  }
}
