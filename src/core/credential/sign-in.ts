// How to sign in to Entra ID. A host turns its platform's inputs into exactly one of these.

export type SignIn =
  | {
      kind: 'federated'
      tenantId: string
      clientId: string
      /**
       * Called each time a token is needed, so a long import never presents an expired assertion. `audience` is
       * the one the cloud's Entra ID expects (api://AzureADTokenExchange in AzureCloud, or the `audience` input).
       */
      getAssertion: (audience: string) => Promise<string>
      /** Where the assertion comes from, for messages ("GitHub OIDC", "Azure DevOps service connection X"). */
      assertionSource: string
    }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificatePem: string }
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'azure-cli'; tenantId?: string }
