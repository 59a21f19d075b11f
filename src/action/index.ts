import * as core from '@actions/core'
import { DefaultAzureCredential } from '@azure/identity'
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry'
core.info('hello ' + typeof DefaultAzureCredential + typeof ContainerRegistryManagementClient)
