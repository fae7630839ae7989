// The API's schemas — requests and responses of every operation, and every enumeration — in one
// place: the server validates with them, tRPC declares them as inputs and outputs, the SDK and
// the CLI parse every answer with them, and the OpenAPI document is generated from them.
export * from "./enums";
export * from "./tasks";
export * from "./agents";
export * from "./workflows";
export * from "./identity";
export * from "./incidents";
export * from "./traffic";
export * from "./insight";
export {
  addressSchema,
  sendMessageSchema,
  sendManySchema,
  ackMessagesSchema,
  messageViewSchema,
  conversationMessageSchema,
  conversationInput,
  inboxQuery,
  sendResultSchema,
  type MessageView,
  type ConversationMessage,
  type SendResult,
  type SendMessageInput,
} from "../messaging";
export * from "./alerts";
export * from "./reports";
export * from "./pools";
