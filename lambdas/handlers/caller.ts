import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Who is calling, as the authorizer saw them: an IAM ARN, or a signed-in user's email (JWT). */
export function callerOf(event: APIGatewayProxyEventV2): string | undefined {
  const authorizer = (
    event.requestContext as {
      authorizer?: { iam?: { userArn?: string }; jwt?: { claims?: Record<string, string | number | boolean> } };
    }
  ).authorizer;
  if (authorizer?.iam?.userArn) return authorizer.iam.userArn;
  const claims = authorizer?.jwt?.claims;
  const who = claims?.email ?? claims?.['cognito:username'] ?? claims?.username ?? claims?.sub;
  return who === undefined ? undefined : String(who);
}
