import * as tl from 'azure-pipelines-task-lib/task.js'
import { DefaultAzureCredential } from '@azure/identity'
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry'
console.log('hello ' + typeof DefaultAzureCredential + typeof ContainerRegistryManagementClient + tl.getInput('x'))
tl.setResult(tl.TaskResult.Succeeded, 'ok')
