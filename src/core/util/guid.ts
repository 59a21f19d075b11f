// Azure's IDs (subscriptions, tenants, apps) are GUIDs; checking the form refuses a typo before any request.

export function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
}
